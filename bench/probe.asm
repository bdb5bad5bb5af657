; bench/probe.asm - the INT 13h ceiling: a boot sector that only reads.
;
; make bench installs it (bytes 0-439, like any MBR) on a copy of a bench
; disk.  It reads `probe_sectors` sectors from `probe_lba` on, in requests
; of `probe_chunk` sectors (AH=42h), all into the same buffer below 1 MiB,
; with nothing else in between: no mode switch, no copy, no console.  So the
; time between its two serial lines is what the BIOS alone needs, the rate
; no INT 13h loader can beat (bench/bench.py times the lines).
;
;   probe: start                 first request is next
;   probe: done                  every request succeeded
;   probe: error XX              AH=42h failed; XX is the BIOS status
;
; Then it halts; the harness ends QEMU.  The three patch fields sit before
; the disk signature, where bench/mkdisks.sh writes them.

        bits 16
        org 0x7C00

BUFFER_SEG      equ 0x1000      ; 1000:0000 = 0x10000, 64 KiB, below 1 MiB
COM1            equ 0x3F8
COM1_LSR        equ COM1 + 5    ; line status register
LSR_THRE        equ 0x20        ;   transmit holding register empty
THRE_SPINS      equ 0xFFFF      ; bound on the wait for it

start:
        jmp     0:.cs0                  ; CS=0: linear addresses
.cs0:   cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        cld
        mov     [drive], dl             ; the BIOS boot drive

        mov     si, msg_start
        call    puts
        mov     eax, [probe_lba]
        mov     [dap.lba], eax
        mov     ebx, [probe_sectors]    ; EBX: sectors still to read
.next:  test    ebx, ebx
        jz      .done
        movzx   ecx, word [probe_chunk]
        cmp     ebx, ecx
        jae     .full
        mov     ecx, ebx                ; the last, short request
.full:  mov     [dap.count], cx
        mov     si, dap
        mov     ah, 0x42
        mov     dl, [drive]
        int     0x13
        jc      .error
        add     [dap.lba], ecx          ; (the high dword stays 0: < 2 TiB)
        sub     ebx, ecx
        jmp     .next
.done:  mov     si, msg_done
        call    puts
        jmp     halt
.error: mov     al, ah
        mov     si, msg_error
        call    puts
        call    puthex
        mov     si, msg_crlf
        call    puts
halt:   cli
        hlt
        jmp     halt

; puts: print the NUL-terminated string at DS:SI on COM1.  Clobbers AX, SI, DX.
puts:   lodsb
        test    al, al
        jz      .ret
        call    putc
        jmp     puts
.ret:   ret

; puthex: print AL as two hex digits.  Clobbers AX, DX.
puthex: push    ax
        shr     al, 4
        call    .digit
        pop     ax
        and     al, 0x0F
.digit: add     al, '0'
        cmp     al, '9'
        jbe     putc
        add     al, 'A' - '0' - 10
        ; fall through
; putc: AL to COM1, after waiting (bounded) for the transmitter.  Clobbers DX.
putc:   push    cx
        push    ax
        mov     cx, THRE_SPINS
        mov     dx, COM1_LSR
.wait:  in      al, dx
        test    al, LSR_THRE
        jnz     .send
        loop    .wait
.send:  pop     ax
        mov     dx, COM1
        out     dx, al
        pop     cx
        ret

msg_start:      db "probe: start", 13, 10, 0
msg_done:       db "probe: done", 13, 10, 0
msg_error:      db "probe: error ", 0
msg_crlf:       db 13, 10, 0

        align 4
dap:                                    ; INT 13h AH=42h disk address packet
        db      16, 0                   ; size, reserved
.count: dw      0                       ; sectors
        dw      0, BUFFER_SEG           ; buffer offset, segment
.lba:   dq      0
drive:  db      0x80

        times 0x1AC - ($ - $$) db 0     ; the build fails if the code grows past here
; Patch fields (little-endian), written by bench/mkdisks.sh.
probe_lba:      dd 2048                 ; 0x1AC: first sector to read
probe_sectors:  dd 131072               ; 0x1B0: how many (64 MiB)
probe_chunk:    dw 128                  ; 0x1B4: sectors per request (64 KiB)
        times 0x1B8 - ($ - $$) db 0
; 0x1B8-0x1FD: the disk's signature and partition table (not written).
        times 510 - ($ - $$) db 0
        dw      0xAA55
