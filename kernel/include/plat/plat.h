#ifndef PLAT_PLAT_H
#define PLAT_PLAT_H

/*
 * Boot only, after paging_init and with interrupts off: reads the ACPI
 * tables, parks the 8259 PICs, enables the local APIC, masks every IOAPIC
 * pin and calibrates the timers (without starting the tick). Missing or
 * corrupt firmware tables are logged and replaced by PC defaults.
 */
void plat_init(void);

#endif
