/* The functions of the libraries loaded at run time (lazy_libraries.h), as trampolines: each
 * jumps through its slot of lwn_lazy_table. A slot starts out at the function's resolver stub,
 * which passes the slot's address to lwn_lazy_common; that saves the argument registers, calls
 * lwn_lazy_resolve() (which loads the group and fills its slots, or stops the process with a
 * message), restores them and jumps to the function, as if it had been called directly.
 * Everything here is hidden: libwebrtc's calls bind to these, and nothing is exported. */

#if defined(__x86_64__)

#define LWN_LAZY(group, name)                                                         \
  .text; .globl name; .hidden name; .type name, @function; .p2align 4;                \
  name: jmp *lwn_slot_##name(%rip);                                                   \
  lwn_resolve_##name: lea lwn_slot_##name(%rip), %r11; jmp lwn_lazy_common;           \
  .size name, . - name;                                                               \
  .data; lwn_slot_##name: .quad lwn_resolve_##name;

  .text
  .p2align 4
  .type lwn_lazy_common, @function
/* %r11: the slot. The stack is 8 off 16-byte alignment here (a call, then jumps). */
lwn_lazy_common:
  push %rbp
  mov %rsp, %rbp
  sub $192, %rsp
  mov %rdi, 0(%rsp)
  mov %rsi, 8(%rsp)
  mov %rdx, 16(%rsp)
  mov %rcx, 24(%rsp)
  mov %r8, 32(%rsp)
  mov %r9, 40(%rsp)
  mov %rax, 48(%rsp)          /* the vector register count of a variadic call */
  movdqa %xmm0, 64(%rsp)
  movdqa %xmm1, 80(%rsp)
  movdqa %xmm2, 96(%rsp)
  movdqa %xmm3, 112(%rsp)
  movdqa %xmm4, 128(%rsp)
  movdqa %xmm5, 144(%rsp)
  movdqa %xmm6, 160(%rsp)
  movdqa %xmm7, 176(%rsp)
  mov %r11, %rdi
  call lwn_lazy_resolve
  mov %rax, %r11
  mov 0(%rsp), %rdi
  mov 8(%rsp), %rsi
  mov 16(%rsp), %rdx
  mov 24(%rsp), %rcx
  mov 32(%rsp), %r8
  mov 40(%rsp), %r9
  mov 48(%rsp), %rax
  movdqa 64(%rsp), %xmm0
  movdqa 80(%rsp), %xmm1
  movdqa 96(%rsp), %xmm2
  movdqa 112(%rsp), %xmm3
  movdqa 128(%rsp), %xmm4
  movdqa 144(%rsp), %xmm5
  movdqa 160(%rsp), %xmm6
  movdqa 176(%rsp), %xmm7
  leave
  jmp *%r11
  .size lwn_lazy_common, . - lwn_lazy_common

#elif defined(__aarch64__)

#define LWN_LAZY(group, name)                                                         \
  .text; .globl name; .hidden name; .type name, %function; .p2align 4;                \
  name: adrp x16, lwn_slot_##name; ldr x16, [x16, :lo12:lwn_slot_##name]; br x16;    \
  lwn_resolve_##name: adrp x17, lwn_slot_##name;                                      \
  add x17, x17, :lo12:lwn_slot_##name; b lwn_lazy_common;                             \
  .size name, . - name;                                                               \
  .data; .p2align 3; lwn_slot_##name: .quad lwn_resolve_##name;

  .text
  .p2align 4
  .type lwn_lazy_common, %function
/* x17: the slot. */
lwn_lazy_common:
  stp x29, x30, [sp, #-224]!
  mov x29, sp
  stp x0, x1, [sp, #16]
  stp x2, x3, [sp, #32]
  stp x4, x5, [sp, #48]
  stp x6, x7, [sp, #64]
  str x8, [sp, #80]
  stp q0, q1, [sp, #96]
  stp q2, q3, [sp, #128]
  stp q4, q5, [sp, #160]
  stp q6, q7, [sp, #192]
  mov x0, x17
  bl lwn_lazy_resolve
  mov x16, x0
  ldp x0, x1, [sp, #16]
  ldp x2, x3, [sp, #32]
  ldp x4, x5, [sp, #48]
  ldp x6, x7, [sp, #64]
  ldr x8, [sp, #80]
  ldp q0, q1, [sp, #96]
  ldp q2, q3, [sp, #128]
  ldp q4, q5, [sp, #160]
  ldp q6, q7, [sp, #192]
  ldp x29, x30, [sp], #224
  br x16
  .size lwn_lazy_common, . - lwn_lazy_common

#else
#error "lazy_trampolines.S: no trampolines for this architecture"
#endif

/* The table: one slot per function, in lazy_symbols.inc's order (lazy_libraries.cc indexes
 * it the same way). */
  .data
  .p2align 3
  .globl lwn_lazy_table
  .hidden lwn_lazy_table
lwn_lazy_table:
#include "lazy_symbols.inc"
  .data
  .globl lwn_lazy_table_end
  .hidden lwn_lazy_table_end
lwn_lazy_table_end:

  .section .note.GNU-stack, "", %progbits
