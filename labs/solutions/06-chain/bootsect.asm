; Lab 6, a solution: a boot sector that says hello and the drive it got.
;   nasm -f bin -o bootsect.bin bootsect.asm

COM1            equ 0x3F8
LSR             equ 5               ; line status register
LSR_THRE        equ 0x20            ; the transmitter can take a byte

        org     0x7C00
        bits    16
start:
        xor     ax, ax              ; our own segments: CS:IP is 0000:7C00,
        mov     ds, ax              ; but nothing promises DS or SS
        mov     ss, ax
        mov     sp, 0x7C00          ; the stack grows down below us
        mov     [drive], dl         ; DL: before anything uses DX
        mov     si, hello
        call    puts
        mov     al, [drive]
        shr     al, 4
        call    digit
        mov     al, [drive]
        call    digit
        mov     si, crlf
        call    puts
halt:   cli
        hlt
        jmp     halt

; digit: AL's low 4 bits as a hex digit.
digit:  and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     putc
        add     al, 'A' - '0' - 10
; putc: AL to COM1 (a bounded wait).  Clobbers DX, CX.
putc:   mov     ah, al
        mov     dx, COM1 + LSR
        mov     cx, 0xFFFF
.wait:  in      al, dx
        test    al, LSR_THRE
        loopz   .wait
        mov     al, ah
        mov     dx, COM1
        out     dx, al
        ret

; puts: DS:SI, NUL-terminated.
puts:   lodsb
        test    al, al
        jz      .done
        call    putc
        jmp     puts
.done:  ret

hello:  db      "lab6: hello from a chainloaded boot sector, DL=", 0
crlf:   db      13, 10, 0
drive:  db      0

        times   510 - ($ - $$) db 0
        dw      0xAA55              ; what the BIOS, and smartboot, check
