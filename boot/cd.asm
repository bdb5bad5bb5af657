; boot/cd.asm - smartboot stage 1 for a CD: the El Torito boot image's first
; 2048 bytes (docs/iso.md).
;
; build/smartos.iso's boot image (/boot/smartboot.bin) is this block, then
; stage 2, padded to whole 2048-byte blocks.  The BIOS loads the boot image
; ("no emulation", El Torito 1.0 section 2.5) at 07C0:0000 and jumps to it
; with the CD's drive number in DL.  The catalog asks for 4 virtual 512-byte
; sectors, this block only: many BIOSes load no more than 2048 bytes
; reliably, whatever the catalog says (ISOLINUX's reason for loading itself
; the same way).  So we read stage 2 ourselves, by LBA through INT 13h:
;
;   1. AH=48h: the drive's sector size (2048 on a CD; 512 accepted too);
;   2. the boot information table below (xorriso -boot-info-table writes
;      it at offset 8): the boot image's block and length;
;   3. AH=42h: the boot image's blocks after this one, to 0000:8000;
;   4. the table's checksum (the 32-bit sum of the image's dwords from
;      offset 64 on) over what we loaded, and stage 2's "SBT2";
;   5. jump to 0000:8000 with the drive in DL, as boot/mbr.asm does.
;
; Stage 2 lands on 0x8000, over this block's second kilobyte: everything
; we use is in the first (checked below), the rest is zeros, which keeps
; the checksum a simple sum over 0x7C40..the end of stage 2.
;
; Failures print one short word and halt:
;   smartboot: no LBA         the BIOS's CD has no INT 13h extensions
;   smartboot: read error XX  AH=42h failed 3 times; XX is the BIOS status
;   smartboot: bad stage2     the checksum or the magic is wrong

        bits 16
        org 0x7C00

; The numbers shared with C, generated from its headers (scripts/h2inc):
%include "layout.inc"           ; stage2/layout.h: STAGE2_BASE
%include "stub.inc"             ; stage2/entry/stub.h: STAGE2_MAGIC, "SBT2"

STAGE2_ADDR     equ STAGE2_BASE ; where stage 2 runs (CS=0, so linear = offset)
CD_BLOCK        equ 2048
STAGE2_MAX      equ 16          ; blocks: 32 KiB, up to 0x10000 (stage2/layout.h's budget fits)
READ_TRIES      equ 3
; What we write goes below us, at 0x0500 (free memory after the BIOS data
; area): the checksum covers this block as the image holds it, so nothing
; in it may change before the sum.
dap             equ 0x0500      ; INT 13h AH=42h disk address packet (16 bytes)
dap_count       equ dap + 2     ;   sectors (of the drive's size) to read
dap_buffer      equ dap + 4     ;   offset, segment
dap_lba         equ dap + 8     ;   64-bit LBA
params          equ 0x0510      ; INT 13h AH=48h result buffer (EDD, 0x1A bytes)
params_bytes    equ params + 0x18   ; bytes per sector: all we use
PARAMS_SIZE     equ 0x1A
boot_drive      equ 0x0530      ; DL as the BIOS gave it
status          equ 0x0531      ; the last AH=42h error code

start:
        jmp     short entry
        times 8 - ($ - $$) db 0

; The boot information table (xorriso/mkisofs -boot-info-table): filled in
; when the image is made.  Offsets 8..63.
bi_pvd:         dd 0                    ; LBA of the primary volume descriptor (16)
bi_file:        dd 0                    ; LBA of this boot image (2048-byte blocks)
bi_length:      dd 0                    ; its length in bytes
bi_checksum:    dd 0                    ; sum of its dwords from offset 64 on
        times 64 - ($ - $$) db 0

entry:
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        jmp     0:.normalised           ; CS=0: the BIOS may have used 07C0:0000
.normalised:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        cld
        mov     [boot_drive], dl        ; a CD: SeaBIOS says 0xE0, others 0x9F..

        ; AH=48h: the sector size.  A BIOS that fails it (or has none)
        ; gets "no LBA": it cannot have AH=42h either.
        mov     word [params], PARAMS_SIZE
        mov     si, params
        mov     ah, 0x48
        int     0x13
        jc      .no_lba
        ; Blocks of the boot image after this one, and where they start,
        ; in the drive's sectors: 2048 bytes (shift 0) or 512 (shift 2).
        mov     eax, [bi_length]
        dec     eax
        shr     eax, 11                 ; (length - 2048 + 2047) / 2048: stage 2's blocks
        jz      .bad
        cmp     eax, STAGE2_MAX
        ja      .bad
        mov     ebx, [bi_file]
        inc     ebx
        xor     cl, cl
        cmp     word [params_bytes], CD_BLOCK
        je      .size_ok
        cmp     word [params_bytes], 512
        jne     .no_lba
        mov     cl, 2
.size_ok:
        shl     eax, cl
        shl     ebx, cl
        mov     word [dap], 16          ; packet size, reserved
        mov     [dap_count], ax
        mov     dword [dap_buffer], STAGE2_ADDR     ; 0000:8000
        mov     [dap_lba], ebx
        mov     dword [dap_lba + 4], 0

        mov     di, READ_TRIES
.read:
        mov     si, dap
        mov     ah, 0x42
        mov     dl, [boot_drive]
        int     0x13
        jnc     .check
        mov     [status], ah
        xor     ah, ah                  ; AH=00h: reset
        mov     dl, [boot_drive]
        int     0x13
        dec     di
        jnz     .read
        mov     si, msg_read
        call    puts
        mov     al, [status]
        call    puthex
        jmp     halt

.check:
        ; The table's checksum: dwords from offset 64 (0x7C40) to the end
        ; of the image, which in memory is 0x8000 + its length - 2048.
        mov     ecx, [bi_length]
        sub     ecx, CD_BLOCK - (STAGE2_ADDR - 0x7C40)
        shr     ecx, 2
        mov     si, 0x7C40
        xor     ebx, ebx
.sum:   lodsd
        add     ebx, eax
        dec     ecx
        jnz     .sum
        cmp     ebx, [bi_checksum]
        jne     .bad
        cmp     dword [STAGE2_ADDR + 4], STAGE2_MAGIC
        jne     .bad
        mov     dl, [boot_drive]        ; stage 2 gets the drive in DL
        jmp     0:STAGE2_ADDR

.no_lba:
        mov     si, msg_no_lba
        jmp     fail
.bad:
        mov     si, msg_bad
        ; falls through into fail
%include "print.inc"            ; fail, halt, puts, puthex, putc

msg_no_lba:     db "smartboot: no LBA", 0
msg_read:       db "smartboot: read error ", 0
msg_bad:        db "smartboot: bad stage2", 0

code_end:
%if code_end - $$ > STAGE2_ADDR - 0x7C00
%error "cd.asm: code and data must end before 0x8000, where stage 2 is loaded"
%endif
        ; Zeros to the block's end: stage 2 overwrites them, and the
        ; checksum counts them as nothing.
        times CD_BLOCK - ($ - $$) db 0
