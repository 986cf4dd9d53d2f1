// What the compiler and the glibc headers we do not read would have set up
// before the first header: gcc's predefined macros for LP64 Linux (the
// subset the headers test; arch.ts adds the architecture's own), what <features.h> gives a program built with
// _GNU_SOURCE, the <sys/cdefs.h> spellings glibc's socket header uses, and
// the typedefs from glibc headers we skip. It is C, read by the same
// preprocessor and parser as the headers.
export const PRELUDE_FILE = '<prelude>';

export const PRELUDE = `
#define __STDC__ 1
#define __STDC_VERSION__ 201710L
#define __STDC_HOSTED__ 1
#define __GNUC__ 12
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 0
#define __linux__ 1
#define __linux 1
#define __gnu_linux__ 1
#define __unix__ 1
#define __unix 1
#define __ELF__ 1
#define __LP64__ 1
#define _LP64 1
#define __CHAR_BIT__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 8
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_SIZE_T__ 8
#define __SIZEOF_INT128__ 16
#define __BIGGEST_ALIGNMENT__ 16
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_BIG_ENDIAN__ 4321
#define __ORDER_PDP_ENDIAN__ 3412
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__

/* <features.h> with _GNU_SOURCE: the glibc headers test these directly. */
#define _GNU_SOURCE 1
#define __USE_MISC 1
#define __USE_GNU 1

/* <sys/cdefs.h> pieces used by the glibc headers we read. */
#define __THROW
#define __BEGIN_DECLS
#define __END_DECLS
#define __NTH(fct) fct
#define __glibc_c99_flexarr_available 1
#define __flexarr []

/* bits/socket.h refuses to be read unless <sys/socket.h> is its includer;
   we read it in place of <sys/socket.h>, which adds only declarations. */
#define _SYS_SOCKET_H 1
/* Likewise bits/dlfcn.h (the RTLD_* flags) and <dlfcn.h>. */
#define _DLFCN_H 1

/* Types from glibc headers we skip (<stddef.h>, <sys/types.h>, <stdint.h>). */
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned int __socklen_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long off_t;
typedef unsigned int mode_t;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
`;
