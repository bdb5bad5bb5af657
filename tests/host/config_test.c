/*
 * config_test.c - host tests of the smartboot.cfg and grub.cfg parsers
 * (stage2/config/config.c, stage2/config/grubcfg.c).  Error messages go to stdout; the
 * test script checks them too.
 */
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "check.h"


static const char smartboot_cfg[] =
	"# smart-os\n"
	"timeout 7\n"
	"default 2\n"
	"serial 1 9600\n"
	"verbose on\n"
	"\n"
	"entry smart-os\n"
	"  kernel /boot/bzImage\n"
	"  initrd /boot/a.img\n"
	"  initrd /boot/initrd\n"
	"  cmdline root=/dev/sda1 console=ttyS0\n"
	"  handoff 64\n"
	"entry second one\n"
	"  kernal /boot/typo\n"          /* line 14: unknown key */
	"  kernel /boot/bzImage\n"
	"  handoff 48\n"                 /* line 16: bad value */
	"entry no kernel\n"
	"  cmdline x\n"
	"entry last\r\n"
	"\tkernel /k\r\n";

static void test_smartboot(void)
{
	static struct config c;
	int n = config_parse(&c, smartboot_cfg, strlen(smartboot_cfg), "smartboot.cfg");

	CHECK("smartboot.cfg: valid entries load, the one without kernel is dropped", n == 3);
	CHECK("smartboot.cfg: timeout", c.timeout == 7);
	CHECK("smartboot.cfg: default counts from 1", c.default_entry == 1);
	CHECK("smartboot.cfg: serial 1 is COM2 at 9600", c.serial_port == 0x2f8 && c.serial_baud == 9600);
	CHECK("smartboot.cfg: verbose on", c.verbose);
	CHECK("smartboot.cfg: title", !strcmp(c.entries[0].title, "smart-os"));
	CHECK("smartboot.cfg: two initrds in order", c.entries[0].ninitrd == 2 &&
	      !strcmp(c.entries[0].initrd[0], "/boot/a.img") && !strcmp(c.entries[0].initrd[1], "/boot/initrd"));
	CHECK("smartboot.cfg: cmdline", !strcmp(c.entries[0].cmdline, "root=/dev/sda1 console=ttyS0"));
	CHECK("smartboot.cfg: handoff 64", c.entries[0].handoff == 64);
	CHECK("smartboot.cfg: a title with spaces", !strcmp(c.entries[1].title, "second one"));
	CHECK("smartboot.cfg: a bad handoff value leaves the default", c.entries[1].handoff == 0);
	CHECK("smartboot.cfg: CRLF line ends and tabs", !strcmp(c.entries[2].title, "last") &&
	      !strcmp(c.entries[2].kernel, "/k"));
	CHECK("smartboot.cfg: errors counted (typo, bad handoff, no kernel)", c.errors == 3);

	static struct config d;
	const char *t = "default last\nentry first\nkernel /a\nentry last\nkernel /b\n";
	config_parse(&d, t, strlen(t), "x.cfg");
	CHECK("smartboot.cfg: default by title", d.default_entry == 1);
	static struct config e;
	t = "timeout -1\nkernel /a\n";
	config_parse(&e, t, strlen(t), "y.cfg");
	CHECK("smartboot.cfg: timeout -1 waits; an entry key outside an entry is an error",
	      e.timeout == CFG_TIMEOUT_NEVER && e.count == 0 && e.errors == 1);
}

static const char grub_cfg[] =
	"set timeout=3\n"
	"set default=\"1\"\n"
	"insmod ext2\n"                              /* line 3 */
	"menuentry 'smart-os' --class os {\n"
	"    set root=(hd0,msdos1)\n"
	"    linux /boot/bzImage console=ttyS0 quiet\n"
	"    initrd /boot/initrd\n"
	"}\n"
	"menuentry \"smart-os (16-bit)\" {\n"
	"    search --no-floppy --set=root --label smartos\n"
	"    linux16 (hd0,msdos2)/boot/bzImage root=/dev/sda2 'init=/bin/sh'\n"
	"    initrd16 /boot/one /boot/two\n"
	"    load_video\n"                           /* line 13 */
	"}\n"
	"menuentry 'broken' {\n"
	"    echo no kernel here\n"
	"}\n"
	"menuentry 'open' {\n"
	"    linux /k\n";

/* `verbose on` before the first entry: every boot; inside an entry: that
 * entry's boot only (the stock disk's "teaching trace" entry). */
static void test_entry_verbose(void)
{
	static const char text[] =
		"timeout 3\n"
		"entry plain\n  kernel /k\n"
		"entry traced\n  kernel /k\n  verbose on\n"
		"entry off again\n  verbose off\n  kernel /k\n";
	static struct config c;
	int n = config_parse(&c, text, strlen(text), "smartboot.cfg");

	CHECK("smartboot.cfg: verbose inside an entry is that entry's", n == 3 && !c.verbose &&
	      !c.entries[0].verbose && c.entries[1].verbose && !c.entries[2].verbose && !c.errors);
}

static void test_grub(void)
{
	static struct config c;
	int n = grubcfg_parse(&c, grub_cfg, strlen(grub_cfg), "grub.cfg");

	CHECK("grub.cfg: entries with a kernel load", n == 3);
	CHECK("grub.cfg: set timeout", c.timeout == 3);
	CHECK("grub.cfg: set default=\"1\" (0-based)", c.default_entry == 1);
	CHECK("grub.cfg: menuentry title", !strcmp(c.entries[0].title, "smart-os"));
	CHECK("grub.cfg: set root=(hd0,msdos1)", c.entries[0].root.kind == ROOT_NUMBER &&
	      c.entries[0].root.disk == 0 && c.entries[0].root.partition == 1);
	CHECK("grub.cfg: linux path and arguments", !strcmp(c.entries[0].kernel, "/boot/bzImage") &&
	      !strcmp(c.entries[0].cmdline, "console=ttyS0 quiet"));
	CHECK("grub.cfg: linux means the default hand-off", c.entries[0].handoff == 0);
	CHECK("grub.cfg: initrd", c.entries[0].ninitrd == 1 && !strcmp(c.entries[0].initrd[0], "/boot/initrd"));
	CHECK("grub.cfg: linux16 means the 16-bit hand-off", c.entries[1].handoff == 16);
	CHECK("grub.cfg: a (hd0,msdos2) device in front of a path", c.entries[1].root.kind == ROOT_NUMBER &&
	      c.entries[1].root.partition == 2 &&
	      !strcmp(c.entries[1].kernel, "/boot/bzImage"));
	CHECK("grub.cfg: quotes dropped from arguments",
	      !strcmp(c.entries[1].cmdline, "root=/dev/sda2 init=/bin/sh"));
	CHECK("grub.cfg: initrd16 with two files", c.entries[1].ninitrd == 2 &&
	      !strcmp(c.entries[1].initrd[1], "/boot/two"));
	CHECK("grub.cfg: errors counted (insmod, load_video, echo, no kernel, not closed)", c.errors == 5);
}

/* root (smartboot.cfg) and set root / search (grub.cfg): recorded for
 * stage 2's root.c; a global one is the default of entries without. */
static void test_root(void)
{
	static const char sb[] =
		"root LABEL=Smart OS\n"
		"entry by label\n  kernel /k\n"
		"entry by uuid\n  kernel /k\n  root UUID=0C1E5A2B-1111-2222-3333-444455556666\n"
		"entry by partuuid\n  kernel /k\n  root PARTUUID=1234ABCD-05\n"
		"entry second disk\n  kernel /k\n  root hd1,msdos1\n"
		"entry gpt\n  kernel /k\n  root (hd0,gpt2)\n"
		"entry bad\n  kernel /k\n  root sda2\n  root hd16,1\n  root hd0,gpt\n";
	static const char grub[] =
		"search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos2 0C1E5A2B-1111-2222-3333-444455556666\n"
		"menuentry 'a' {\n  linux /k\n}\n"
		"menuentry 'b' {\n  search -l --set root smart\n  linux /k\n}\n"
		"menuentry 'c' {\n  search /boot/bzImage\n  linux /k\n}\n"
		"menuentry 'd' {\n  set root=(hd1,msdos5)\n  linux /k\n}\n"
		"menuentry 'e' {\n  search --file --set=other /x\n  search --label\n  linux /k\n}\n";
	static struct config c, g;
	int n = config_parse(&c, sb, strlen(sb), "smartboot.cfg");
	const struct root_spec *r = &c.entries[0].root;

	CHECK("smartboot.cfg: a global root is the default of entries without one",
	      n == 6 && r->kind == ROOT_LABEL && !strcmp(r->key, "Smart OS") &&
	      c.entries[5].root.kind == ROOT_LABEL);
	r = &c.entries[1].root;
	CHECK("smartboot.cfg: root UUID= (lower case)", r->kind == ROOT_UUID &&
	      !strcmp(r->key, "0c1e5a2b-1111-2222-3333-444455556666"));
	r = &c.entries[2].root;
	CHECK("smartboot.cfg: root PARTUUID=", r->kind == ROOT_PARTUUID && !strcmp(r->key, "1234abcd-05"));
	r = &c.entries[3].root;
	CHECK("smartboot.cfg: root hd1,msdos1", r->kind == ROOT_NUMBER && r->disk == 1 && r->partition == 1);
	r = &c.entries[4].root;
	CHECK("smartboot.cfg: root (hd0,gpt2)", r->kind == ROOT_NUMBER && r->disk == 0 && r->partition == 2);
	CHECK("smartboot.cfg: bad roots reported (sda2, hd16, no number)", c.errors == 3);

	n = grubcfg_parse(&g, grub, strlen(grub), "grub.cfg");
	r = &g.entries[0].root;
	CHECK("grub.cfg: search --fs-uuid outside an entry is the default", n == 5 && r->kind == ROOT_UUID &&
	      !strcmp(r->key, "0c1e5a2b-1111-2222-3333-444455556666") && g.entries[4].root.kind == ROOT_UUID);
	r = &g.entries[1].root;
	CHECK("grub.cfg: search -l --set root", r->kind == ROOT_LABEL && !strcmp(r->key, "smart"));
	r = &g.entries[2].root;
	CHECK("grub.cfg: search with no option looks for a file", r->kind == ROOT_FILE &&
	      !strcmp(r->key, "/boot/bzImage"));
	r = &g.entries[3].root;
	CHECK("grub.cfg: set root=(hd1,msdos5)", r->kind == ROOT_NUMBER && r->disk == 1 && r->partition == 5);
	CHECK("grub.cfg: search --set=other and search without a key reported", g.errors == 2);

	/* A key that is an empty word (an unclosed quote at the file's end) is
	 * no key: search looked at its first byte, past the file (MSan found it
	 * in fuzz-grub-cfg).  The text is its own allocation, so ASan sees it. */
	static const char tail[] = "search -l \"";
	char *text = malloc(sizeof(tail) - 1);
	struct config q;

	memcpy(text, tail, sizeof(tail) - 1);
	memset(&q, 0, sizeof(q));
	grubcfg_parse(&q, text, sizeof(tail) - 1, "grub.cfg");
	CHECK("grub.cfg: search with only an unclosed quote: the quote and the missing key reported, nothing read past the text",
	      q.errors == 2 && q.root.kind == ROOT_BOOT);
	free(text);
}

/* The bad configurations of docs/errors.md: each reported with its line,
 * and the valid entries still offered. */
static void test_bad(void)
{
	static char big[16 * 64 + 256];
	static struct config a, b, c, d, e, f, g;
	const char *t;
	char *p = big;

	t = "entry a\nkernel\ninitrd\ncmdline\nkernel /k\n";
	config_parse(&a, t, strlen(t), "a.cfg");
	CHECK("bad: 'kernel' and 'initrd' without a value are errors; an empty cmdline is not",
	      a.count == 1 && a.errors == 2 && a.entries[0].ninitrd == 0 &&
	      !strcmp(a.entries[0].cmdline, "") && !strcmp(a.entries[0].kernel, "/k"));

	static struct config h;
	t = "timeout 5      # seconds\nentry a   # the first\n  kernel /k#1 # a comment\n"
	    "  initrd /i\t# tab\n  cmdline root=/dev/sda1 # the rest\n#entry x\n";
	config_parse(&h, t, strlen(t), "h.cfg");
	CHECK("comments after a space or tab end the value (docs/config.md's example)",
	      h.errors == 0 && h.timeout == 5 && !strcmp(h.entries[0].title, "a") &&
	      !strcmp(h.entries[0].kernel, "/k#1") && !strcmp(h.entries[0].initrd[0], "/i") &&
	      !strcmp(h.entries[0].cmdline, "root=/dev/sda1"));

	t = "default nosuch\nentry a\nkernel /k\n";
	config_parse(&b, t, strlen(t), "b.cfg");
	CHECK("bad: a default title that names no entry: the first, reported", b.default_entry == 0);
	t = "default 9\nentry a\nkernel /k\nentry b\nkernel /k\n";
	config_parse(&c, t, strlen(t), "c.cfg");
	CHECK("bad: a default number past the entries: the first, reported", c.default_entry == 0);

	/* 18 entries: the 17th and 18th are dropped, and their lines must not
	 * land in the 16th. */
	for (int i = 1; i <= 18; i++)
		p += sprintf(p, "entry e%d\nkernel /k%d\n", i, i);
	config_parse(&d, big, strlen(big), "d.cfg");
	CHECK("bad: more than 16 entries: 16 kept, the 16th keeps its own kernel",
	      d.count == 16 && !strcmp(d.entries[15].kernel, "/k16") && d.errors == 1);

	p = big;
	for (int i = 1; i <= 30; i++)
		p += sprintf(p, "junk%d\n", i);
	strcpy(p, "entry ok\nkernel /k\n");
	config_parse(&e, big, strlen(big), "e.cfg");
	CHECK("bad: 30 unknown keys: all counted (20 shown), the entry after them loads",
	      e.errors == 30 && e.count == 1);

	t = "set default=4000000000\nmenuentry \"open quote {\nlinux /k\n}\n"
	    "menuentry 'one' {\nlinux /k\nmenuentry 'two' {\nlinux /k2\n}\n}\n";
	grubcfg_parse(&f, t, strlen(t), "f.cfg");
	CHECK("bad grub.cfg: open quote, no '{', nested menuentry, stray '}', huge default: "
	      "reported, three entries kept", f.count == 3 && f.errors == 4 && f.default_entry == 0 &&
	      !strcmp(f.entries[2].kernel, "/k2"));

	p = big;
	for (int i = 1; i <= 18; i++)
		p += sprintf(p, "menuentry 'g%d' {\nlinux /k%d\n}\n", i, i);
	grubcfg_parse(&g, big, strlen(big), "g.cfg");
	CHECK("bad grub.cfg: more than 16 menuentries: 16 kept, said once, no stray '}' reported",
	      g.count == 16 && !strcmp(g.entries[15].kernel, "/k16") && g.errors == 1);
}

/* Numbers out of their key's range: each an error on its line, never a
 * wrapped value.  Checked to fail before the fix (cfg_number multiplied
 * without a bound): "timeout 4294967297" became 1 s, "handoff 4294967328"
 * became 32, "serial 0xcf8" was taken as a UART. */
static void test_ranges(void)
{
	static struct config a, b, c, d, e, f, g;
	const char *t;

	t = "timeout 4294967297\nentry a\nkernel /k\nhandoff 4294967328\n";
	config_parse(&a, t, strlen(t), "ra.cfg");
	CHECK("range: timeout 2^32+1 and handoff 2^32+32 are errors, not 1 and 32",
	      a.errors == 2 && a.timeout == 0 && a.entries[0].handoff == 0);
	t = "timeout 32768\ntimeout 0x100000005\ntimeout 32767\n";
	config_parse(&b, t, strlen(t), "rb.cfg");
	CHECK("range: timeout 32768 and 0x100000005 are errors; 32767 is the most",
	      b.errors == 2 && b.timeout == 32767);
	t = "default 4294967298\nentry a\nkernel /k\nentry b\nkernel /k\n";
	config_parse(&c, t, strlen(t), "rc.cfg");
	CHECK("range: default 2^32+2 names no entry (not entry 2): the first, reported",
	      c.default_entry == 0);
	t = "serial 0xcf8 9600\nserial 0x60\nserial 4\nserial 0x1003f8\nserial 0x3f8 4294967297\n"
	    "serial 0x2f8 115201\nserial 0x3f8 49\n";
	config_parse(&d, t, strlen(t), "rd.cfg");
	CHECK("range: serial on PCI config space, the keyboard controller, COM5, 0x1003f8, "
	      "speeds 2^32+1, 115201 and 49: all errors, no port set", d.errors == 7 && d.serial_port == 0);
	t = "serial 0x2e8 50\nserial 3\nserial 0x3E8 115200\n";
	config_parse(&e, t, strlen(t), "re.cfg");
	CHECK("range: the four COM ports by port or by number, speeds 50 and 115200",
	      e.errors == 0 && e.serial_port == 0x3e8 && e.serial_baud == 115200);
	t = "set timeout=4294967299\nset default=4294967297\nmenuentry 'a' {\n"
	    "set root=(hd0,msdos4294967297)\nlinux /k\n}\nmenuentry 'b' {\nlinux (hd0,msdos0)/k\n}\n";
	grubcfg_parse(&f, t, strlen(t), "rf.cfg");
	CHECK("range grub.cfg: timeout 2^32+3, partitions 2^32+1 and 0 are errors; default 2^32+1 "
	      "names no entry", f.errors == 3 && f.timeout == 5 && f.default_entry == 0 &&
	      f.entries[0].root.kind == ROOT_BOOT && f.entries[1].root.kind == ROOT_BOOT);
	t = "set timeout=32767\nset root=(hd0,msdos128)\nmenuentry 'a' {\nlinux /k\n}\n";
	grubcfg_parse(&g, t, strlen(t), "rg.cfg");
	CHECK("range grub.cfg: timeout 32767 and partition 128 are the most",
	      g.errors == 0 && g.timeout == 32767 && g.entries[0].root.partition == 128);
}

/* Chain entries (proto/chain.c): the device syntax of both files, and
 * what each rejects. */
static void test_chain(void)
{
	static struct config a, b, c;
	const char *t;

	t = "entry part\nchain 2\nentry disk\nchain hd1\nentry both\nchain hd1,3\n"
	    "entry grubby\nchain (hd0,msdos4)\nentry bad\nchain 200\nentry bad2\nchain hd99\n";
	config_parse(&a, t, strlen(t), "chain.cfg");
	CHECK("chain: entries without a kernel are kept, the bad ones dropped", a.count == 4 &&
	      a.errors == 4);   /* two bad values, two entries without kernel or chain */
	CHECK("chain 2: partition 2 of the boot drive", a.entries[0].protocol == BOOT_CHAIN &&
	      a.entries[0].drive == 0 && a.entries[0].partition == 2);
	CHECK("chain hd1: the second BIOS disk's MBR", a.entries[1].drive == 0x81 &&
	      a.entries[1].partition == CFG_WHOLE_DISK);
	CHECK("chain hd1,3: its partition 3", a.entries[2].drive == 0x81 && a.entries[2].partition == 3);
	CHECK("chain (hd0,msdos4): GRUB's spelling, the boot drive", a.entries[3].drive == 0 &&
	      a.entries[3].partition == 4);

	t = "menuentry 'other disk' {\nset root=(hd1)\nchainloader +1\n}\n"
	    "menuentry 'part 2' {\nchainloader --force (hd0,msdos2)+1\n}\n"
	    "menuentry 'here' {\nchainloader +1\n}\n"
	    "menuentry 'file' {\nchainloader /efi/boot.efi\n}\n"
	    "menuentry 'linux elsewhere' {\nset root=(hd1,msdos1)\nlinux /k\n}\n";
	grubcfg_parse(&b, t, strlen(t), "chain-grub.cfg");
	CHECK("grub.cfg: set root=(hd1) + chainloader +1", b.entries[0].protocol == BOOT_CHAIN &&
	      b.entries[0].drive == 0x81 && b.entries[0].partition == CFG_WHOLE_DISK);
	CHECK("grub.cfg: chainloader --force (hd0,msdos2)+1", b.entries[1].protocol == BOOT_CHAIN &&
	      b.entries[1].drive == 0 && b.entries[1].partition == 2);
	CHECK("grub.cfg: chainloader +1 without root: the partition we booted from",
	      b.entries[2].protocol == BOOT_CHAIN && b.entries[2].drive == 0 && b.entries[2].partition == 0);
	CHECK("grub.cfg: a chainloader file is refused, linux on another disk reads it (root.c)",
	      b.count == 4 && b.errors == 2 && b.entries[3].protocol == BOOT_LINUX &&
	      b.entries[3].root.kind == ROOT_NUMBER && b.entries[3].root.disk == 1);

	t = "menuentry 'disk' {\nset root=(hd1)\nlinux /k\n}\n"
	    "menuentry 'found' {\nsearch -l other\nchainloader +1\n}\n";
	grubcfg_parse(&c, t, strlen(t), "chain-root.cfg");
	CHECK("grub.cfg: linux on a whole disk (hd1) and a chainloader after search are refused",
	      c.count == 1 && c.errors == 3 && c.entries[0].root.kind == ROOT_BOOT &&
	      c.entries[0].drive == 0 && c.entries[0].partition == 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_smartboot();
	test_entry_verbose();
	test_grub();
	test_root();
	test_bad();
	test_ranges();
	test_chain();
	return check_failures != 0;
}
