/*
 * serial.c - COM1, a 16550 UART, at 115200 baud 8N1.
 *
 * Every message goes here as well as to the screen, so `-serial stdio`,
 * `-nographic` and the tests see everything.
 */
#include "bios/console.h"
#include "cpu/io.h"

#define COM1            0x3f8
#define UART_THR        0       /* transmit holding register (DLAB=0) */
#define UART_RBR        0       /* receive buffer register (DLAB=0) */
#define UART_DLL        0       /* divisor latch, low byte (DLAB=1) */
#define UART_DLM        1       /* divisor latch, high byte (DLAB=1) */
#define UART_IER        1       /* interrupt enable */
#define UART_FCR        2       /* FIFO control */
#define UART_LCR        3       /* line control */
#define UART_MCR        4       /* modem control */
#define UART_LSR        5       /* line status */
#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define FCR_ENABLE_CLEAR 0x07   /* enable FIFOs, clear both */
#define MCR_DTR_RTS     0x03
#define LSR_DATA_READY  0x01
#define LSR_THRE        0x20    /* transmitter holding register empty */
#define UART_CLOCK      115200  /* 1.8432 MHz / 16: baud = UART_CLOCK / divisor */
/* Waiting for THRE: 115200 baud sends a byte in ~87 us; 100000 reads of the
 * LSR (about 1 us each) is ample, and a missing UART cannot hang us. */
#define THRE_POLLS      100000

static uint16_t port = COM1;

void serial_init(uint16_t base, uint32_t baud)
{
	uint16_t divisor = (uint16_t)(UART_CLOCK / baud);

	port = base;
	outb(port + UART_IER, 0);               /* we poll */
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, (uint8_t)divisor);
	outb(port + UART_DLM, (uint8_t)(divisor >> 8));
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS);
}

void serial_putc(char c)
{
	for (int i = 0; i < THRE_POLLS && !(inb(port + UART_LSR) & LSR_THRE); i++)
		;
	outb(port + UART_THR, (uint8_t)c);
}

int serial_getc(void)
{
	/* No UART at all reads 0xFF everywhere: that is not "data ready". */
	uint8_t lsr = inb(port + UART_LSR);

	if (lsr == 0xff || !(lsr & LSR_DATA_READY))
		return -1;
	return inb(port + UART_RBR);
}
