; stage2/cpu/handoff.asm - the last jumps: into the Linux kernel, into a
; Multiboot kernel, or into another boot sector.
;
; Linux's three hand-offs are defined by the Linux x86 boot protocol
; (Documentation/x86/boot.rst): linux_enter16, the 16-bit entry of the
; real-mode setup code; linux_enter32, the 32-bit entry of the protected-mode
; kernel; linux_enter64, its 64-bit entry, in long mode.  multiboot_enter by
; the Multiboot specifications (0.6.96 section 3.2, 2.0 section 3.3,
; "Machine state").  chain_enter, a boot sector's start as a BIOS gives it
; (proto/chain.c).

%include "cpu/modeswitch.inc"

global linux_enter16, linux_enter32, linux_enter64, multiboot_enter
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
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        jmp     eax

; void multiboot_enter(uint32_t magic, uint32_t info, uint32_t entry) __attribute__((noreturn));
;   Multiboot 1 and 2 on i386 ask for the same machine state: EAX = the
;   loader's magic (0x2BADB002 or 0x36D76289), EBX = the physical address of
;   the information, CS a flat 32-bit read/execute segment, DS = ES = FS =
;   GS = SS a flat read/write segment, A20 on, CR0.PG = 0 and CR0.PE = 1,
;   EFLAGS.VM = 0 and IF = 0.  Stage 2 already runs in that state (paging
;   was never on, A20 was enabled by main.c, CS = SEL_CODE32 is flat): we
;   only clear IF, reload the data segments and set the two registers.  ESP
;   is left as it is: the specs make the kernel set its own stack.
multiboot_enter:
        cli
        mov     eax, [esp + 4]          ; magic
        mov     ebx, [esp + 8]          ; the information
        mov     edx, [esp + 12]         ; the kernel's entry
        mov     cx, SEL_DATA32
        mov     ds, cx
        mov     es, cx
        mov     fs, cx
        mov     gs, cx
        mov     ss, cx
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        jmp     edx

; In .text16, below 64 KiB: its real-mode half runs with CS = 0.
section .text16 progbits alloc exec
        bits 32

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
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        retf                            ; = jmp far (seg+0x20):0000

%ifdef SMARTBOOT_CHAIN                  ; make CHAIN=1 (mk/loader.mk)
global chain_enter
; void chain_enter(uint32_t drive, uint32_t si, uint32_t ip) __attribute__((noreturn));
;   A boot sector's start, as a BIOS gives it (BIOS Boot Specification 1.01)
;   and as a DOS MBR passes it on: real mode, CS:IP = 0000:ip (0x7C00),
;   DL = the drive, DS = ES = SS = 0, SP = ip (the stack just below the boot
;   sector), SI = BP = the partition entry (0 for a whole disk), interrupts
;   on.  This code is in stage 2 (.text16, above 0x8000), which the boot
;   sector at 0x7C00-0x7DFF does not overlap.
        bits 32
chain_enter:
        mov     edx, [esp + 4]          ; drive
        mov     esi, [esp + 8]          ; partition entry
        mov     ebx, [esp + 12]         ; ip
        PROTECTED_TO_REAL .real         ; CS = DS = ES = FS = GS = SS = 0
.real:
        mov     sp, bx
        mov     bp, si
        xor     eax, eax                ; nothing else is promised: zeros
        xor     ecx, ecx
        xor     edi, edi
        and     edx, 0xFF               ; DH = 0, as SeaBIOS leaves it
        and     esi, 0xFFFF
        push    word 0                  ; CS
        push    bx                      ; IP
        xor     ebx, ebx
        sti                             ; the BIOS starts boot sectors with IF = 1
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        retf                            ; = jmp far 0000:ip
%endif

; void linux_enter64(uint32_t entry, uint32_t boot_params, uint32_t pml4);
;   cdecl from 32-bit C; never returns.  Follows boot.rst's "64-bit Boot
;   Protocol": 64-bit mode, paging on with the kernel, zero page and
;   command line identity-mapped, a GDT with __BOOT_CS = 0x10 (now a 64-bit
;   code segment) and __BOOT_DS = 0x18, interrupts off, RSI = boot_params.
;
; The steps (Intel SDM vol. 3, 9.8.5 "Initializing IA-32e Mode"):
;   1. CR4.PAE = 1          long mode pages are PAE-format (64-bit entries)
;   2. CR3 = PML4           the top of the page tables
;   3. EFER.LME = 1         ask for long mode (MSR 0xC0000080)
;   4. CR0.PG = 1           paging on: with LME set, the CPU is now in long
;                           mode's compatibility sub-mode (still 32-bit code)
;   5. far jump to a code segment with L = 1: 64-bit mode.

CR0_PG          equ 0x80000000
CR4_PAE         equ 0x00000020
MSR_EFER        equ 0xC0000080
EFER_LME        equ 0x00000100

section .text
        bits 32
linux_enter64:
        cli
        mov     edi, [esp + 4]          ; entry (64-bit entry point)
        mov     esi, [esp + 8]          ; boot_params
        mov     edx, [esp + 12]         ; pml4

        mov     eax, cr4                ; 1.
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     cr3, edx                ; 2.
        mov     ecx, MSR_EFER           ; 3.
        rdmsr
        or      eax, EFER_LME
        wrmsr
        ; The kernel wants CS = 0x10 to be 64-bit code, where our own GDT has
        ; 32-bit code: load the long-mode GDT (same selectors, L bit set).
        ; CS keeps its cached 32-bit descriptor until the far jump below.
        lgdt    [gdt64_descriptor]
        mov     eax, cr0                ; 4.
        or      eax, CR0_PG
        mov     cr0, eax
        jmp     SEL_CODE32:.long        ; 5. (0x10 in gdt64 is 64-bit code)

        bits 64
.long:
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     eax, edi                ; zero-extends: the entry is below 4 GiB
        mov     esi, esi                ; RSI = boot_params (upper half cleared)
        xor     ebp, ebp
        xor     ebx, ebx
        xor     edi, edi
%ifdef MAGIC_BREAK
        xchg    bx, bx                  ; make MAGIC=1: Bochs's debugger stops here
%endif
        jmp     rax

section .rodata
; The GDT for long mode.  0x10: access 0x9A (present, code, readable), flags
; 0xA (4 KiB granularity, L = 1 for 64-bit, D = 0 as L requires).
        align 8
gdt64:
        dq      0                               ; 0x00 null
        dq      0                               ; 0x08 unused
        dw 0xFFFF, 0x0000
        db 0x00, 0x9A, 0xAF, 0x00               ; 0x10 64-bit code
        dw 0xFFFF, 0x0000
        db 0x00, 0x92, 0xCF, 0x00               ; 0x18 flat data
gdt64_end:
gdt64_descriptor:
        dw      gdt64_end - gdt64 - 1
        dd      gdt64
