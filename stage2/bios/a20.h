/* a20.h - the A20 gate. */
#ifndef A20_H
#define A20_H

/* Open the A20 gate.  Returns the method that worked ("already on", "bios",
 * "keyboard controller", "port 0x92"), or NULL if none did. */
const char *a20_enable(void);

#endif
