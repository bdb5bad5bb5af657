; stage2/bios/bioscall.asm - the BIOS gateway: the only way into the BIOS in stage 2.
;
; void bios_int(uint8_t intno, const struct biosregs *in, struct biosregs *out);
;   cdecl, called from 32-bit C.  Switches to real mode, loads the registers
;   from *in, calls interrupt vector intno the way `int intno` would, with
;   interrupts enabled, saves every register into *out (if out != NULL),
;   and returns in protected mode.  Preserves EBX, ESI, EDI, EBP and ESP for
;   the C caller; clobbers EAX, ECX, EDX and the flags.  The stack must lie
;   below 64 KiB (it does: below 0x7000, STACK_TOP in entry.asm).  *in and
;   *out may be anywhere: they are copied through a block on the stack.

%include "cpu/modeswitch.inc"

; struct biosregs (bios.h asserts the same offsets)
BREGS_EAX       equ 0x00
BREGS_EBX       equ 0x04
BREGS_ECX       equ 0x08
BREGS_EDX       equ 0x0C
BREGS_ESI       equ 0x10
BREGS_EDI       equ 0x14
BREGS_EBP       equ 0x18
BREGS_DS        equ 0x1C
BREGS_ES        equ 0x1E
BREGS_EFLAGS    equ 0x20
BREGS_SIZE      equ 0x24

EFLAGS_CF       equ 0x0001

global bios_int
extern gdt_descriptor, realmode_idt   ; entry.asm

; The gateway keeps no data of its own: the register block and the vector
; live on the caller's stack, which is below 64 KiB (SS = 0 in real mode
; reaches it) and on pages that hold no code.  Both matter under QEMU's TCG,
; where every write to a 4 KiB page holding translated code takes a slow
; path (QEMU checks it against the translations), and a write into an
; instruction throws that translation away.  With the registers kept beside
; the code and an `int` patched per call, each call cost about as much as
; SeaBIOS's AHCI read of 64 KiB (docs/performance.md).
FRAME_VECTOR    equ BREGS_SIZE          ; the handler's far address (IVT entry)
FRAME_SIZE      equ BREGS_SIZE + 4
IVT             equ 0                   ; interrupt vector table: 4 bytes per vector

; All of bios_int is in .text16: its real-mode half runs with CS = 0.
section .text16 progbits alloc exec
        bits 32
bios_int:
        pushad                          ; 32 bytes: args now at esp+36
        movzx   eax, byte [esp + 36]    ; intno
        mov     esi, [esp + 40]         ; in
        sub     esp, FRAME_SIZE         ; args now at esp+FRAME_SIZE+36
        mov     eax, [IVT + eax * 4]    ; the vector (offset, segment)
        mov     [esp + FRAME_VECTOR], eax
        mov     edi, esp
        mov     ecx, BREGS_SIZE / 4
        cld
        rep     movsd                   ; the block = *in

        PROTECTED_TO_REAL .real
.real:
        ; SS = 0 and ESP < 64 KiB, so [esp + ...] (32-bit addressing, which
        ; real mode allows below 64 KiB) still names the block.
        ; Flags: only CF comes from the caller (preset by bios_regs_init);
        ; IF is set so the BIOS can take its timer and disk interrupts.
        mov     ax, [esp + BREGS_EFLAGS]
        and     ax, EFLAGS_CF
        push    ax
        popf
        mov     eax, [esp + BREGS_EAX]
        mov     ebx, [esp + BREGS_EBX]
        mov     ecx, [esp + BREGS_ECX]
        mov     edx, [esp + BREGS_EDX]
        mov     esi, [esp + BREGS_ESI]
        mov     edi, [esp + BREGS_EDI]
        mov     ebp, [esp + BREGS_EBP]
        mov     es, [esp + BREGS_ES]
        mov     ds, [esp + BREGS_DS]
        sti
        ; What `int n` does, by hand: push FLAGS, CS and the return IP,
        ; clear IF, jump to the vector.  (An `int` takes n from its own
        ; instruction bytes, so it would have to be patched per call: a
        ; write into code, see above.)  The retf "returns" into the handler.
        pushf
        push    cs
        push    .returned
        cli
        push    dword [esp + 6 + FRAME_VECTOR]
        retf
.returned:
        cli
        ; The handler's iret restored SS:SP.  Some BIOSes leave junk in the
        ; upper half of ESP; ours is below 64 KiB, so SP is the whole of it.
        movzx   esp, sp
        mov     [esp + BREGS_EAX], eax
        mov     [esp + BREGS_EBX], ebx
        mov     [esp + BREGS_ECX], ecx
        mov     [esp + BREGS_EDX], edx
        mov     [esp + BREGS_ESI], esi
        mov     [esp + BREGS_EDI], edi
        mov     [esp + BREGS_EBP], ebp
        mov     [esp + BREGS_DS], ds
        mov     [esp + BREGS_ES], es
        pushfd
        pop     dword [esp + BREGS_EFLAGS]  ; (pop computes the address after ESP += 4)
        xor     ax, ax
        mov     ds, ax

        REAL_TO_PROTECTED .back
.back:
        mov     edi, [esp + FRAME_SIZE + 44]    ; out
        test    edi, edi
        jz      .done
        mov     esi, esp
        mov     ecx, BREGS_SIZE / 4
        rep     movsd                   ; *out = the block
.done:
        add     esp, FRAME_SIZE
        popad
        ret
