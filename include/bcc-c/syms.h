/* Symbols for stack frames and other code addresses, as bcc's tools
 * print them: the kernel's from /proc/kallsyms (ksyms), a process's from
 * the ELF files it maps (usyms, through libbcc's symbol cache).
 *
 * A resolved address fills a struct sym_info whose strings belong to the
 * object that resolved it and stay valid until it is freed. */
#ifndef BCC_C_SYMS_H
#define BCC_C_SYMS_H

#include "api.h"

#include <stdint.h>
#include <sys/types.h>

BCC_C_BEGIN_DECLS

struct sym_info {
	const char *name;   /* the symbol whose code holds the address */
	uint64_t offset;    /* address - the symbol's start */
	const char *module; /* kernel: "kernel" or the module ("ext4");
			       process: the file's path */
};

struct ksyms;

/* The kernel's code symbols. path NULL: the running kernel's, through
 * libbcc's /proc/kallsyms reader, so that a frame names the symbol bcc's
 * own tools name (where several share an address, libbcc's choice).
 * Another path: a file in kallsyms' format (a saved copy), read here with
 * libbcc's rules: data symbols (b B d D r R) and addresses that are zero
 * or below the kernel's half of the address space are skipped (with
 * kptr_restrict every address reads 0: no symbol, every look-up fails),
 * and of symbols sharing an address the file's last is named. Freed with
 * ksyms__free(). NULL with errno set when the file cannot be read or
 * memory runs out. */
BCC_C_API struct ksyms *ksyms__load(const char *path);

/* The symbol at or below addr: 0 and *out filled, or -ENOENT when addr
 * lies below every symbol (or there are none). */
BCC_C_API int ksyms__resolve(const struct ksyms *ks, uint64_t addr, struct sym_info *out);

/* NULL is a no-op. */
BCC_C_API void ksyms__free(struct ksyms *ks);

struct usyms;

/* The symbols of process pid (> 0): libbcc reads the process's maps now
 * and each mapped ELF file's symbols when first needed (so a process
 * that has exited resolves only what was read); names are not demangled
 * (C++ frames print as the mangled name, as bcc-run shows them). Freed with
 * usyms__free(). NULL with errno set (ESRCH: no such process; EINVAL:
 * pid <= 0). */
BCC_C_API struct usyms *usyms__new(pid_t pid);

/* The symbol holding addr, a virtual address in the process: 0 and *out
 * filled, or -ENOENT. */
BCC_C_API int usyms__resolve(struct usyms *us, uint64_t addr, struct sym_info *out);

/* The process the object reads. */
BCC_C_API pid_t usyms__pid(const struct usyms *us);

/* NULL is a no-op. */
BCC_C_API void usyms__free(struct usyms *us);

/* Whether addr is a kernel address (the upper half of the address space,
 * as x86_64 and arm64 place the kernel): which of the two a stack frame
 * is resolved with. */
BCC_C_API int syms_is_kernel_addr(uint64_t addr);

/* The frame at addr as bcc-run prints it, into buf (len bytes, cut short
 * when longer): "name+0xoffset", or "0xaddr [unknown]" when it resolves
 * to nothing. Kernel addresses are looked up in ks, others in us; either
 * may be NULL (the frame is then unknown). Returns the length the whole
 * text needs, as snprintf(). */
BCC_C_API int syms_format_frame(const struct ksyms *ks, struct usyms *us, uint64_t addr,
				 char *buf, size_t len);

BCC_C_END_DECLS

#endif
