// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smart-os demo driver.
 *
 * The smallest useful out-of-tree module: it logs one line when it is
 * loaded (rcS loads it at boot with `modprobe hello`, so the line is in
 * dmesg) and one when it is removed (`rmmod hello`).  The `who` parameter
 * shows how a module takes arguments: `modprobe hello who=students`.
 *
 * Built against the smart-os kernel tree (build/kernel) by mk/smartos.mk;
 * see module/Makefile for building it by hand.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/utsname.h>

static char *who = "smart-os";
module_param(who, charp, 0444);	/* also readable in /sys/module/hello/parameters/who */
MODULE_PARM_DESC(who, "whom to greet");

static int __init hello_init(void)
{
	/* The tests look for this exact text in dmesg. */
	pr_info("hello: hello, %s! (demo module loaded into Linux %s)\n",
		who, init_utsname()->release);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: goodbye, %s\n", who);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");	/* anything else taints the kernel */
MODULE_AUTHOR("smartboot developers");
MODULE_DESCRIPTION("smart-os demo driver: says hello in dmesg");
