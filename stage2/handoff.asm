; stage2/handoff.asm - the last jumps: into the Linux kernel.
;
; Two entries, both defined by the Linux x86 boot protocol
; (Documentation/x86/boot.rst): the 16-bit entry of the real-mode setup code,
; and the 32-bit entry of the protected-mode kernel.

%include "modeswitch.inc"

global linux_enter16, linux_enter32
extern gdt_descriptor, realmode_idt   ; entry.asm

section .text
        bits 32

; void linux_enter32(uint32_t entry, uint32_t boot_params) __attribute__((noreturn));
;   The 32-bit boot protocol: protected mode, paging off, interrupts off, a GDT
;   with flat __BOOT_CS = 0x10 and __BOOT_DS = 0x18 (ours, see modeswitch.inc),
;   CS = 0x10, DS = ES = SS = 0x18, ESI = the zero page, EBP = EDI = EBX = 0.
linux_enter32:
        cli
        mov     eax, [esp + 4]          ; code32_start
        mov     esi, [esp + 8]          ; struct boot_params
        mov     cx, SEL_DATA32
        mov     ds, cx
        mov     es, cx
        mov     fs, cx
        mov     gs, cx
        mov     ss, cx
        xor     ebp, ebp
        xor     edi, edi
        xor     ebx, ebx
        jmp     eax

; void linux_enter16(uint16_t seg, uint16_t sp) __attribute__((noreturn));
;   The 16-bit boot protocol: real mode, DS = ES = FS = GS = SS = seg (the
;   real-mode kernel's segment, X >> 4), SP = the top of its heap, interrupts
;   off, then a far jump to (seg + 0x20):0000.
linux_enter16:
        movzx   ebx, word [esp + 4]     ; seg
        movzx   edx, word [esp + 8]     ; sp
        PROTECTED_TO_REAL .real
.real:
        mov     ds, bx
        mov     es, bx
        mov     fs, bx
        mov     gs, bx
        mov     ss, bx
        mov     sp, dx
        add     bx, 0x20                ; the setup code's entry segment
        push    bx
        push    word 0
        retf                            ; = jmp far (seg+0x20):0000
