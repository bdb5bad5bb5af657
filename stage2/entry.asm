; stage2/entry.asm - stage 2's first instructions, its header and its GDT.
;
; Stage 1 jumps to 0000:8000 (the start of this file, see linker/stage2.ld)
; in real mode with the BIOS boot drive in DL.  We clear .bss, set up the
; stack, switch to 32-bit protected mode and call main(drive) in C.

%include "modeswitch.inc"

STAGE2_MAGIC    equ 0x32544253  ; "SBT2": stage 1 and the installer check it
STACK_TOP       equ 0x7C00      ; grows down; below stage 1 (docs/layout.md)

extern main
extern __bss_start, __bss_end
global _start, gdt_descriptor, realmode_idt, gdt

section .header progbits alloc exec
        bits 16
; Offset 0: a 4-byte jump over the magic; offset 4: the magic.
_start:
        jmp     near real_entry         ; 3 bytes
        nop
        dd      STAGE2_MAGIC

section .text16 progbits alloc exec
        bits 16
; In: real mode, CS=0 (stage 1 jumped to 0000:8000), DL = boot drive.
real_entry:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, STACK_TOP
        mov     bl, dl                  ; keep the drive across the switch
        REAL_TO_PROTECTED pm_entry

section .text
        bits 32
pm_entry:
        mov     esp, STACK_TOP
        ; C expects .bss to be zero.  It lies above 64 KiB (see the linker
        ; script), so we clear it now that 32-bit addresses reach it.
        cld
        mov     edi, __bss_start
        mov     ecx, __bss_end
        sub     ecx, edi
        xor     eax, eax
        rep     stosb
        movzx   eax, bl
        push    eax                     ; main(uint8_t drive)
        call    main
.halt:  cli                             ; main never returns; if it did,
        hlt                             ; stop here rather than run off
        jmp     .halt

section .rodata
; The GDT.  Each descriptor: limit 15:0, base 15:0, base 23:16, access,
; flags|limit 19:16, base 31:24.
;   access 0x9A = present, ring 0, code, readable;  0x92 = present, data, writable
;   flags  0xC  = 4 KiB granularity, 32-bit;          0x0 = byte granularity, 16-bit
        align 8
gdt:
        dq      0                                       ; 0x00 null
        dq      0                                       ; 0x08 reserved (64-bit code, later)
        dw 0xFFFF, 0x0000
        db 0x00, 0x9A, 0xCF, 0x00                       ; 0x10 SEL_CODE32: base 0, 4 GiB
        dw 0xFFFF, 0x0000
        db 0x00, 0x92, 0xCF, 0x00                       ; 0x18 SEL_DATA32: base 0, 4 GiB
        dw 0xFFFF, 0x0000
        db 0x00, 0x9A, 0x00, 0x00                       ; 0x20 SEL_CODE16: base 0, 64 KiB
        dw 0xFFFF, 0x0000
        db 0x00, 0x92, 0x00, 0x00                       ; 0x28 SEL_DATA16: base 0, 64 KiB
gdt_end:

gdt_descriptor:
        dw      gdt_end - gdt - 1       ; limit
        dd      gdt                     ; linear base
realmode_idt:
        dw      0x3FF                   ; 256 vectors of 4 bytes
        dd      0                       ; at linear 0
