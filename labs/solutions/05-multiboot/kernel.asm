; Lab 5, a solution: a Multiboot (version 1) kernel that prints the memory
; map it was given on COM1, then halts.
;
;   nasm -f elf32 -o kernel.o kernel.asm && ld -m elf_i386 -Ttext-segment=0x100000 -o kernel.elf kernel.o
;
; The Multiboot specification 0.6.96, section 3: the header (magic, flags,
; checksum) in the first 8 KiB, 4-byte aligned; at entry EAX = 0x2BADB002,
; EBX = the information structure, 32-bit protected mode, flat segments,
; paging and interrupts off.  flags bit 6 in the information says that
; mmap_length (offset 44) and mmap_addr (offset 48) are valid; each entry
; is `size` (4 bytes, not counting itself), base (8), length (8), type (4).

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00000002          ; bit 1: we want the memory information
MB_BOOTED       equ 0x2BADB002          ; what EAX holds at entry
INFO_MMAP       equ 1 << 6              ; flags bit 6: mmap_* are valid
COM1            equ 0x3F8
LSR_THRE        equ 0x20

section .text
        bits 32
        align 4
header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)  ; magic + flags + checksum = 0

global _start
_start:
        mov     esp, stack_top
        mov     esi, msg_magic
        call    puts
        call    hex32                   ; EAX: the boot loader's magic
        cmp     eax, MB_BOOTED
        jne     .done
        mov     esi, msg_flags
        call    puts
        mov     eax, [ebx]              ; flags
        call    hex32
        mov     esi, msg_nl
        call    puts
        test    dword [ebx], INFO_MMAP
        jz      .done
        mov     edi, [ebx + 48]         ; mmap_addr
        mov     ebp, edi
        add     ebp, [ebx + 44]         ; + mmap_length: the end
.entry:
        cmp     edi, ebp
        jae     .done
        mov     esi, msg_base
        call    puts
        mov     eax, [edi + 8]          ; base, high half first
        call    hex32
        mov     eax, [edi + 4]
        call    hex32
        mov     esi, msg_len
        call    puts
        mov     eax, [edi + 16]
        call    hex32
        mov     eax, [edi + 12]
        call    hex32
        mov     esi, msg_type
        call    puts
        mov     eax, [edi + 20]
        add     al, '0'                 ; types 1-5: one digit
        call    putc
        mov     esi, msg_nl
        call    puts
        mov     eax, [edi]              ; size of this entry, without its size field
        lea     edi, [edi + eax + 4]
        jmp     .entry
.done:
        mov     esi, msg_done
        call    puts
.halt:  cli
        hlt
        jmp     .halt

; puts: the NUL-terminated string at ESI to COM1.  Clobbers ESI, EDX.
puts:   push    eax
.next:  lodsb
        test    al, al
        jz      .end
        call    putc
        jmp     .next
.end:   pop     eax
        ret

; putc: AL to COM1 (bounded wait for the transmitter).  Clobbers EDX.
putc:   push    ecx
        push    eax
        mov     dx, COM1 + 5
        mov     ecx, 100000
.wait:  in      al, dx
        test    al, LSR_THRE
        loopz   .wait
        pop     eax
        mov     dx, COM1
        out     dx, al
        pop     ecx
        ret

; hex32: EAX as 8 hex digits.  Clobbers EDX.
hex32:  push    ecx
        push    eax
        mov     ecx, 8
.digit: rol     eax, 4
        push    eax
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .put
        add     al, 'a' - '0' - 10
.put:   call    putc
        pop     eax
        loop    .digit
        pop     eax
        pop     ecx
        ret

section .rodata
msg_magic: db "lab5: magic=0x", 0
msg_flags: db " flags=0x", 0
msg_base:  db "lab5: mmap base=0x", 0
msg_len:   db " length=0x", 0
msg_type:  db " type=", 0
msg_nl:    db 13, 10, 0
msg_done:  db 13, 10, "lab5: done", 13, 10, 0

section .bss
        align 16
        resb    4096
stack_top:
