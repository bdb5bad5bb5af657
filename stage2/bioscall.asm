; stage2/bioscall.asm - the BIOS gateway: the only `int` in stage 2.
;
; void bios_int(uint8_t intno, const struct biosregs *in, struct biosregs *out);
;   cdecl, called from 32-bit C.  Switches to real mode, loads the registers
;   from *in, executes `int intno` with interrupts enabled, saves every
;   register into *out (if out != NULL), and returns in protected mode.
;   Preserves EBX, ESI, EDI, EBP and ESP for the C caller; clobbers EAX, ECX,
;   EDX and the flags.  The stack must lie below 64 KiB (it does: 0x7C00).
;   *in and *out may be anywhere: they are copied through `regs` below.

%include "modeswitch.inc"

; struct biosregs (bios.h asserts the same offsets)
BREGS_EAX       equ 0x00
BREGS_EBX       equ 0x04
BREGS_ECX       equ 0x08
BREGS_EDX       equ 0x0C
BREGS_ESI       equ 0x10
BREGS_EDI       equ 0x14
BREGS_EBP       equ 0x18
BREGS_DS        equ 0x1C
BREGS_ES        equ 0x1E
BREGS_EFLAGS    equ 0x20
BREGS_SIZE      equ 0x24

EFLAGS_CF       equ 0x0001

global bios_int
extern gdt_descriptor, realmode_idt   ; entry.asm

; In .data16, not .bss or .data: real-mode code reaches these with DS = 0
; (or CS = 0), so they must be below 64 KiB, and linker/stage2.ld.S puts
; .text16 and .data16 first in the payload, below 0x10000 (it checks).
section .data16 progbits alloc noexec write align=4
        align 4
regs:           times BREGS_SIZE db 0
saved_esp:      dd 0

; All of bios_int is in .text16: its real-mode half runs with CS = 0.
section .text16 progbits alloc exec
        bits 32
bios_int:
        pushad                          ; 32 bytes: args now at esp+36
        mov     al, [esp + 36]
        mov     [int_number], al        ; patch the `int` below (see there)
        mov     esi, [esp + 40]
        mov     edi, regs
        mov     ecx, BREGS_SIZE / 4
        cld
        rep     movsd                   ; regs = *in
        mov     [saved_esp], esp

        PROTECTED_TO_REAL .real
.real:
        ; Load the caller's registers.  Flags: only CF comes from the caller
        ; (preset by bios_regs_init); IF is set so the BIOS can take its
        ; timer and disk interrupts.
        mov     ax, [regs + BREGS_EFLAGS]
        and     ax, EFLAGS_CF
        push    ax
        popf
        mov     eax, [regs + BREGS_EAX]
        mov     ebx, [regs + BREGS_EBX]
        mov     ecx, [regs + BREGS_ECX]
        mov     edx, [regs + BREGS_EDX]
        mov     esi, [regs + BREGS_ESI]
        mov     edi, [regs + BREGS_EDI]
        mov     ebp, [regs + BREGS_EBP]
        mov     es, [regs + BREGS_ES]
        mov     ds, [regs + BREGS_DS]   ; last: DS addresses `regs` until here
        sti
        ; `int imm8` takes its vector from the instruction, so we write the
        ; vector into the instruction's second byte (int_number) before we
        ; get here.  The far jump of the mode switch since then flushed the
        ; prefetch queue, so the CPU sees the patched byte.
        db      0xCD                    ; int ...
int_number:
        db      0x00                    ; ... intno
        cli
        ; Save the results.  DS is the BIOS's now; CS is 0, so address
        ; `regs` through CS.
        mov     [cs:regs + BREGS_EAX], eax
        mov     [cs:regs + BREGS_EBX], ebx
        mov     [cs:regs + BREGS_ECX], ecx
        mov     [cs:regs + BREGS_EDX], edx
        mov     [cs:regs + BREGS_ESI], esi
        mov     [cs:regs + BREGS_EDI], edi
        mov     [cs:regs + BREGS_EBP], ebp
        mov     [cs:regs + BREGS_DS], ds
        mov     [cs:regs + BREGS_ES], es
        pushfd
        pop     dword [cs:regs + BREGS_EFLAGS]
        xor     ax, ax
        mov     ds, ax

        REAL_TO_PROTECTED .back
.back:
        mov     esp, [saved_esp]
        mov     edi, [esp + 44]         ; out
        test    edi, edi
        jz      .done
        mov     esi, regs
        mov     ecx, BREGS_SIZE / 4
        rep     movsd                   ; *out = regs
.done:
        popad
        ret
