/*
 * a20.c - open the A20 gate, so addresses above 1 MiB do not wrap to 0.
 *
 * The 8086 had 20 address lines and some DOS programs relied on 0xFFFF:0x10
 * wrapping to 0; the PC/AT kept that alive by gating address line 20 through
 * a spare pin of the keyboard controller.  Every firmware has a different
 * idea of whether it is open on entry, so: test, then try the methods from
 * the most to the least polite, re-testing after each.
 */
#include "bios/a20.h"
#include "bios/bios.h"
#include "cpu/io.h"

#define INT_SYSTEM          0x15
#define A20_BIOS_ENABLE     0x2401   /* INT 15h AX=2401h: enable A20 */

#define KBC_DATA            0x60
#define KBC_STATUS          0x64     /* read: status */
#define KBC_COMMAND         0x64     /* write: command */
#define KBC_STATUS_OBF      0x01     /* output buffer full: a byte to read */
#define KBC_STATUS_IBF      0x02     /* input buffer full: not ready for us */
#define KBC_CMD_WRITE_OUTPUT 0xd1    /* next data byte -> output port */
#define KBC_OUTPUT_A20_ON   0xdf     /* A20 on, system reset line inactive */
#define KBC_POLLS           100000   /* each poll is a port read, ~1 us */

#define PORT_A20_FAST       0x92     /* "system control port A" */
#define FAST_A20_BIT        0x02
#define FAST_RESET_BIT      0x01     /* writing 1 resets the machine: never */

/* Re-test up to this many times after a method: on some chipsets the gate
 * opens a while after the command (the keyboard controller is slow). */
#define A20_SETTLE_TESTS    1000

/*
 * Is A20 on?  Write different values at 0x7DFE (the boot signature in
 * stage 1's copy, free to change now) and at 1 MiB higher; if A20 is off the
 * second write lands on the first address.
 */
static bool a20_on_once(void)
{
	volatile uint16_t *low = (uint16_t *)0x7dfe;
	volatile uint16_t *high = (uint16_t *)(0x7dfe + 0x100000);
	uint16_t saved = *low;
	bool on;

	*low = 0x1234;
	*high = 0xedcb;
	on = *low == 0x1234;
	*low = saved;
	return on;
}

static bool a20_on(int tries)
{
	for (int i = 0; i < tries; i++) {
		if (a20_on_once())
			return true;
		io_delay();
	}
	return false;
}

static bool a20_bios(void)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = A20_BIOS_ENABLE;
	bios_int(INT_SYSTEM, &r, &r);
	return !bios_failed(&r);
}

/* Wait, bounded, until the controller can take a byte; drain its output. */
static bool kbc_wait(void)
{
	for (int i = 0; i < KBC_POLLS; i++) {
		uint8_t status = inb(KBC_STATUS);

		if (status & KBC_STATUS_OBF) {
			(void)inb(KBC_DATA);     /* a stale key or reply */
			continue;
		}
		if (!(status & KBC_STATUS_IBF))
			return true;
		io_delay();
	}
	return false;
}

static bool a20_kbc(void)
{
	/* A machine without a keyboard controller reads 0xFF from every
	 * port: IBF is stuck set, kbc_wait() gives up, and we move on. */
	if (!kbc_wait())
		return false;
	outb(KBC_COMMAND, KBC_CMD_WRITE_OUTPUT);
	if (!kbc_wait())
		return false;
	outb(KBC_DATA, KBC_OUTPUT_A20_ON);
	return kbc_wait();
}

static void a20_fast(void)
{
	uint8_t v = inb(PORT_A20_FAST);

	v |= FAST_A20_BIT;
	v &= (uint8_t)~FAST_RESET_BIT;
	outb(PORT_A20_FAST, v);
}

const char *a20_enable(void)
{
	if (a20_on(1))
		return "already on";
	if (a20_bios() && a20_on(A20_SETTLE_TESTS))
		return "bios";
	if (a20_kbc() && a20_on(A20_SETTLE_TESTS))
		return "keyboard controller";
	a20_fast();
	if (a20_on(A20_SETTLE_TESTS))
		return "port 0x92";
	return NULL;
}
