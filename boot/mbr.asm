; boot/mbr.asm - smartboot stage 1: the 512-byte master boot record.
;
; The BIOS loads this sector at 0x7C00 and jumps to it in real mode with the
; boot drive in DL.  Our whole job: check that the BIOS can read by LBA
; (INT 13h extensions), read stage 2 from the sectors the installer recorded
; below, check it, and jump to it.  Everything else happens in stage 2.
;
; Layout (docs/layout.md; the offsets are boot/stage1.h's, which the
; installer uses too):
;   0x000-0x002  jmp short + nop, over:
;   0x003-0x059  a dummy BIOS parameter block, zeros (see below)
;   0x05A-0x1AF  code and data (the build fails if they grow past 0x1B0)
;   0x1B0-0x1B7  patch fields, written by tools/smartboot-install
;   0x1B8-0x1FD  disk signature and partition table: the disk's, never ours
;   0x1FE-0x1FF  0x55 0xAA
;
; Failures print one short word and halt (cli; hlt) so the message stays
; readable.  We do not INT 18h ("try the next boot device"): on a disk whose
; loader is broken, silently booting something else hides the problem.
;
;   smartboot: no LBA        the BIOS lacks INT 13h extensions (AH=41h)
;   smartboot: read error XX  AH=42h failed 3 times; XX is the BIOS status
;   smartboot: bad stage2    magic or checksum wrong (not installed, or damaged)

        bits 16
        org 0x7C00

; The numbers shared with C, generated from its headers (scripts/h2inc):
%include "stage1.inc"           ; boot/stage1.h: the patch fields' offsets
%include "layout.inc"           ; stage2/layout.h: STAGE2_BASE
%include "stub.inc"             ; stage2/entry/stub.h: STAGE2_MAGIC, "SBT2"

STAGE2_ADDR     equ STAGE2_BASE ; where stage 2 runs (CS=0, so linear = offset)
READ_TRIES      equ 3

start:
        ; A FAT boot sector's first bytes: a short jump over the BIOS
        ; parameter block, and a nop.  Some BIOSes booting a USB stick in
        ; floppy or ZIP emulation take the disk for a FAT volume and write
        ; their idea of its geometry into bytes 0x0B-0x59 (the BPB) of the
        ; copy they load, and some check for this jump first.  So those
        ; bytes hold nothing of ours, as in GRUB's and Limine's boot sectors.
        jmp     short .entry
        nop
        times STAGE1_CODE_START - ($ - $$) db 0 ; 0x03-0x59: OEM name, BPB: zeros

.entry:
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        ; Some BIOSes enter at 07C0:0000 instead of 0000:7C00.  A far jump
        ; makes CS=0 so every address below is the linear address (and the
        ; one gdb shows).
        jmp     0:.normalised
.normalised:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00              ; stack grows down below us
        sti
        cld

        ; The boot drive comes in DL.  A few old BIOSes pass garbage; a hard
        ; disk is 0x80-0x8F, so anything else means "the first hard disk".
        mov     al, dl
        and     al, 0xF0
        cmp     al, 0x80
        je      .drive_ok
        mov     dl, 0x80
.drive_ok:
        mov     [boot_drive], dl

        ; INT 13h AH=41h: are the extensions there?  CF clear, BX=AA55h and
        ; CX bit 0 (the "fixed disk access" subset, which has AH=42h).
        mov     ah, 0x41
        mov     bx, 0x55AA
        int     0x13
        jc      .no_lba
        cmp     bx, 0xAA55
        jne     .no_lba
        test    cl, 1
        jz      .no_lba

        ; INT 13h AH=42h: read stage2_sectors sectors from stage2_lba to
        ; 0000:8000, with a reset (AH=00h) between tries.  One call: at
        ; most 62 sectors (STAGE2_BUDGET), under Phoenix EDD's limit of
        ; 127.  A BIOS that transfers fewer and says so in the packet's
        ; count is caught by the checksum below ("bad stage2").
        mov     eax, [stage2_lba]
        mov     [dap.lba], eax
        mov     di, READ_TRIES
.read:
        mov     ax, [stage2_sectors]
        mov     [dap.count], ax
        mov     si, dap
        mov     ah, 0x42
        mov     dl, [boot_drive]
        int     0x13
        jnc     .check
        mov     [status], ah
        xor     ah, ah                  ; AH=00h: reset the disk system
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
        ; Signature, then the 16-bit sum of every word we loaded.
        cmp     dword [STAGE2_ADDR + 4], STAGE2_MAGIC
        jne     .bad
        mov     cx, [stage2_sectors]
        shl     cx, 8                   ; words = sectors * 256
        mov     si, STAGE2_ADDR
        xor     bx, bx
.sum:   lodsw
        add     bx, ax
        loop    .sum
        cmp     bx, [stage2_checksum]
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

; INT 13h disk address packet (AH=42h).
dap:
        db      16, 0                   ; size of the packet, reserved
.count: dw      0                       ; sectors to read
        dw      STAGE2_ADDR, 0          ; buffer offset, segment
.lba:   dd      0, 0                    ; 64-bit LBA, copied from stage2_lba

boot_drive:     db 0                    ; DL as the BIOS gave it (checked)
status:         db 0                    ; the last AH=42h error code

code_end:
%if start.entry - $$ != STAGE1_CODE_START
%error "stage 1's code must start right after the BPB area"
%endif
%if code_end - $$ > STAGE1_CODE_END
%error "stage 1 code is past 0x1B0: it would overwrite the patch fields"
%endif
        times STAGE1_CODE_END - ($ - $$) db 0

; Patch fields (written by the installer; docs/layout.md), where stage1.h
; says they are: the build checks.
stage2_lba:      dd 0
stage2_sectors:  dw 0
stage2_checksum: dw 0
patch_end:
%if stage2_lba - $$ != STAGE1_STAGE2_LBA || stage2_sectors - $$ != STAGE1_STAGE2_SECTORS || stage2_checksum - $$ != STAGE1_STAGE2_CHECKSUM || patch_end - $$ != STAGE1_PATCH_END
%error "the patch fields are not where boot/stage1.h says"
%endif

        times 510 - ($ - $$) db 0       ; disk signature + partition table
        dw      0xAA55
