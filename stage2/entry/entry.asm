; stage2/entry/entry.asm - stage 2's first instructions, its header and its GDT.
;
; build/stage2.bin is a stub followed by the packed payload (docs/packing.md).
; The stub is this file, stub.c and unpack.c (linker/stage2.ld.S puts them
; first); the payload is the rest of stage 2, linked to run right after the
; stub.  Stage 1 jumps to 0000:8000 (the header below) in real mode with the
; BIOS boot drive in DL.  We set up the stack, switch to 32-bit protected
; mode, unpack the payload (stub_unpack), clear .bss and call main(drive).
; The stub stays where it is: the payload uses its GDT for every mode switch.

%include "cpu/modeswitch.inc"
%include "stub.inc"             ; stage2/entry/stub.h through scripts/h2inc:
                                ; STAGE2_MAGIC, "SBT2" (stage 1 and the
                                ; installer check it)
; The stack grows down from a page below stage 1 (docs/layout.md), not from
; 0x7C00: under QEMU's TCG a write to a page that holds translated code (here
; stage 1's) takes a slow path, and that would be every push of stage 2.
STACK_TOP       equ 0x7000

extern main, stub_unpack
extern __bss_start, __bss_end, __payload_start, __payload_size
global _start, gdt_descriptor, realmode_idt, gdt

; The header: struct stage2_header in stub.h, the same offsets.
section .header progbits alloc exec
        bits 16
_start:
        jmp     near real_entry         ; 0x00: 3 bytes
        nop
        dd      STAGE2_MAGIC            ; 0x04: the magic
        dd      __payload_start         ; 0x08: where the payload runs (linker)
        dd      __payload_size          ; 0x0C: its size unpacked (linker)
        dd      0                       ; 0x10: its size packed (tools/pack.c)
        dd      0                       ; 0x14: its CRC-32C (tools/pack.c)

section .stub.text16 progbits alloc exec
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

section .stub.text progbits alloc exec
        bits 32
; In: 32-bit protected mode, BL = boot drive.  Never returns.
pm_entry:
        mov     esp, STACK_TOP
        movzx   ebx, bl                 ; the drive; C calls preserve EBX
        call    stub_unpack             ; returns only if the payload is intact
        ; C expects .bss to be zero.  It lies above 64 KiB (see the linker
        ; script), so we clear it now that 32-bit addresses reach it.
        cld
        mov     edi, __bss_start
        mov     ecx, __bss_end
        sub     ecx, edi
        xor     eax, eax
        rep     stosb
        push    ebx                     ; main(uint8_t drive), in the payload
        call    main
.halt:  cli                             ; main never returns; if it did,
        hlt                             ; stop here rather than run off
        jmp     .halt

section .stub.rodata progbits alloc noexec nowrite align=8
; The GDT.  Each descriptor: limit 15:0, base 15:0, base 23:16, access,
; flags|limit 19:16, base 31:24.
;   access 0x9A = present, ring 0, code, readable;  0x92 = present, data, writable
;   flags  0xC  = 4 KiB granularity, 32-bit;          0x0 = byte granularity, 16-bit
        align 8
gdt:
        dq      0                                       ; 0x00 null
        dq      0                                       ; 0x08 unused: the boot protocol
                                                        ; wants code at 0x10 (64-bit code
                                                        ; has its own gdt64, handoff.asm)
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
