; tests/chain/bootsect.asm - a boot sector that reports how it was started.
;
; tests/t-37-chain.sh puts it in a partition's first sector (or a disk's
; MBR) and chainloads it with smartboot.  It prints one line on COM1:
;
;   chain-test: dl=80 cs=0000 ip=7c00 ds=0000 si=07ce type=0c lba=00000800 int13=ok
;
; dl: the drive; cs:ip: where it runs (from a call, not assumed); ds:si: the
; partition entry it was given (si=0000: none, and type/lba are not read);
; type and lba: that entry's bytes 4 and 8-11; int13: INT 13h AH=42h reads
; the sector at lba again and it matches this one (the disk still works
; through the BIOS: smartboot gave the controller back).  Then it halts.
; The labs reuse it (labs/06-chain).

COM1            equ 0x3F8
LSR             equ 5               ; line status register
LSR_THRE        equ 0x20            ; transmit holding register empty
BUFFER          equ 0x1000          ; INT 13h reads here (free low memory)

        org     0x7C00
        bits    16
start:
        mov     [cs:saved_ds], ds   ; before anything changes them
        mov     [cs:saved_si], si
        mov     [cs:saved_dx], dx
        call    .here               ; IP as the CPU sees it, not as assumed
.here:  pop     ax
        sub     ax, .here - start
        mov     [cs:saved_ip], ax
        mov     ax, cs
        mov     [cs:saved_cs], ax
        xor     ax, ax              ; our own data through DS = 0
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        mov     ds, ax

        mov     si, msg_head
        call    puts
        mov     al, [saved_dx]
        call    hex8
        mov     si, msg_cs
        call    puts
        mov     ax, [saved_cs]
        call    hex16
        mov     si, msg_ip
        call    puts
        mov     ax, [saved_ip]
        call    hex16
        mov     si, msg_ds
        call    puts
        mov     ax, [saved_ds]
        call    hex16
        mov     si, msg_si
        call    puts
        mov     ax, [saved_si]
        call    hex16
        cmp     word [saved_si], 0
        je      .end                ; a whole disk: no partition entry

        push    ds                  ; the entry, through the DS we were given
        mov     bx, [saved_si]
        mov     ds, [saved_ds]
        mov     cl, [bx + 4]        ; type
        mov     edx, [bx + 8]       ; first LBA
        pop     ds
        mov     [lba], edx
        mov     si, msg_type
        call    puts
        mov     al, cl
        call    hex8
        mov     si, msg_lba
        call    puts
        mov     ax, [lba + 2]
        call    hex16
        mov     ax, [lba]
        call    hex16

        mov     si, msg_int13       ; read our own sector again
        call    puts
        mov     si, dap
        mov     dl, [saved_dx]
        mov     ah, 0x42
        stc
        int     0x13
        mov     si, msg_bad
        jc      .said
        mov     si, BUFFER          ; does it match this sector's code and
        mov     di, start           ; strings?  (The data from dap on has
        mov     cx, dap - start     ; been written since it was loaded.)
        repe cmpsb
        mov     si, msg_bad
        jne     .said
        mov     si, msg_ok
.said:  call    puts
.end:   mov     si, msg_end
        call    puts
.halt:  cli
        hlt
        jmp     .halt

; puts: DS:SI a NUL-terminated string to COM1.  Clobbers AX, DX, SI.
puts:   lodsb
        test    al, al
        jz      .ret
        call    putc
        jmp     puts
.ret:   ret

; putc: AL to COM1, after the transmitter is empty (bounded wait).  Clobbers DX.
putc:   push    cx
        push    ax
        mov     dx, COM1 + LSR
        mov     cx, 0xFFFF
.wait:  in      al, dx
        test    al, LSR_THRE
        loopz   .wait
        pop     ax
        mov     dx, COM1
        out     dx, al
        pop     cx
        ret

; hex16: AX in 4 hex digits; hex8: AL in 2.  Clobbers AX, DX.
hex16:  push    ax
        mov     al, ah
        call    hex8
        pop     ax
hex8:   push    ax
        shr     al, 4
        call    .digit
        pop     ax
.digit: and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .put
        add     al, 'a' - '0' - 10
.put:   jmp     putc

msg_head  db "chain-test: dl=", 0
msg_cs    db " cs=", 0
msg_ip    db " ip=", 0
msg_ds    db " ds=", 0
msg_si    db " si=", 0
msg_type  db " type=", 0
msg_lba   db " lba=", 0
msg_int13 db " int13=", 0
msg_ok    db "ok", 0
msg_bad   db "bad", 0
msg_end   db " end", 13, 10, 0

        align 4
dap:    db      16, 0               ; INT 13h AH=42h disk address packet
        dw      1                   ; one sector
        dw      BUFFER, 0           ; to 0000:1000
lba:    dd      0, 0                ; the LBA (filled in from the entry)
saved_ds dw     0
saved_si dw     0
saved_dx dw     0
saved_ip dw     0
saved_cs dw     0

        times   446 - ($ - $$) db 0 ; room for a partition table (an MBR)
        times   510 - ($ - $$) db 0
        dw      0xAA55
