# SM_ADD_CFLAG(VAR, FLAG): append FLAG to VAR when the C compiler accepts it
# (with -Werror, so a flag that only warns is not taken).
AC_DEFUN([SM_ADD_CFLAG], [
	AS_VAR_PUSHDEF([sm_cache], [sm_cv_cflag_$2])
	AC_CACHE_CHECK([whether $CC accepts $2], [sm_cache], [
		sm_save_CFLAGS="$CFLAGS"
		CFLAGS="$CFLAGS -Werror $2"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
			[AS_VAR_SET([sm_cache], [yes])],
			[AS_VAR_SET([sm_cache], [no])])
		CFLAGS="$sm_save_CFLAGS"])
	AS_VAR_IF([sm_cache], [yes], [$1="$$1 $2"])
	AS_VAR_POPDEF([sm_cache])
])

# SM_ADD_LDFLAG(VAR, FLAG): append FLAG to VAR when the linker accepts it.
AC_DEFUN([SM_ADD_LDFLAG], [
	AS_VAR_PUSHDEF([sm_cache], [sm_cv_ldflag_$2])
	AC_CACHE_CHECK([whether the linker accepts $2], [sm_cache], [
		sm_save_LDFLAGS="$LDFLAGS"
		LDFLAGS="$LDFLAGS -Werror $2"
		AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
			[AS_VAR_SET([sm_cache], [yes])],
			[AS_VAR_SET([sm_cache], [no])])
		LDFLAGS="$sm_save_LDFLAGS"])
	AS_VAR_IF([sm_cache], [yes], [$1="$$1 $2"])
	AS_VAR_POPDEF([sm_cache])
])
