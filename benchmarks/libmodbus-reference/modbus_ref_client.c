/*
 * Reference Modbus master on libmodbus, for interoperability tests and as the benchmark's C baseline.
 *
 *   modbus_ref_client <host> <port> check
 *       against a slave serving unit 1: writes and reads with function codes 01 02 03 04 05 06 15 16 23
 *       and prints one line per step ("fc03 11 12 13 14 15"); exits non-zero on the first error.
 *   modbus_ref_client <host> <port> bench <registers> <seconds>
 *       reads <registers> holding registers from address 0 of unit 1 in a loop for <seconds>,
 *       then prints "tx/s <transactions per second>".
 */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static modbus_t *ctx;

static void fail(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, modbus_strerror(errno));
    exit(1);
}

static void print_registers(const char *label, const uint16_t *values, int n)
{
    printf("%s", label);
    for (int i = 0; i < n; i++) {
        printf(" %u", values[i]);
    }
    printf("\n");
}

static void print_bits(const char *label, const uint8_t *values, int n)
{
    printf("%s", label);
    for (int i = 0; i < n; i++) {
        printf(" %u", values[i]);
    }
    printf("\n");
}

static int check(void)
{
    uint16_t regs[16];
    uint8_t bits[16];
    const uint16_t written[5] = {11, 12, 13, 14, 15};
    const uint8_t coils[5] = {1, 0, 1, 1, 0};
    const uint16_t rw[2] = {7, 8};

    if (modbus_write_registers(ctx, 100, 5, written) != 5) fail("fc16");
    if (modbus_read_registers(ctx, 100, 5, regs) != 5) fail("fc03");
    print_registers("fc03", regs, 5);
    if (modbus_write_register(ctx, 200, 0xBEEF) != 1) fail("fc06");
    if (modbus_read_input_registers(ctx, 0, 4, regs) != 4) fail("fc04");
    print_registers("fc04", regs, 4);
    if (modbus_write_bits(ctx, 300, 5, coils) != 5) fail("fc15");
    if (modbus_write_bit(ctx, 310, 1) != 1) fail("fc05");
    if (modbus_read_bits(ctx, 300, 5, bits) != 5) fail("fc01");
    print_bits("fc01", bits, 5);
    if (modbus_read_input_bits(ctx, 0, 8, bits) != 8) fail("fc02");
    print_bits("fc02", bits, 8);
    if (modbus_write_and_read_registers(ctx, 400, 2, rw, 399, 4, regs) != 4) fail("fc23");
    print_registers("fc23", regs, 4);
    /* An address past the slave's map must come back as a Modbus exception, not a transport error. */
    if (modbus_read_registers(ctx, 65535, 2, regs) != -1) {
        fprintf(stderr, "fc03 past 65535 succeeded\n");
        return 1;
    }
    printf("exception %d\n", errno - MODBUS_ENOBASE);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench(int registers, double seconds)
{
    uint16_t regs[MODBUS_MAX_READ_REGISTERS];
    long n = 0;
    /* Warm up the connection and caches before timing. */
    for (int i = 0; i < 100; i++) {
        if (modbus_read_registers(ctx, 0, registers, regs) != registers) fail("warm-up");
    }
    double start = now();
    double end = start + seconds;
    double t;
    do {
        for (int i = 0; i < 100; i++) {
            if (modbus_read_registers(ctx, 0, registers, regs) != registers) fail("read");
        }
        n += 100;
        t = now();
    } while (t < end);
    printf("tx/s %.0f\n", n / (t - start));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s <host> <port> check | bench <registers> <seconds>\n", argv[0]);
        return 2;
    }
    ctx = modbus_new_tcp(argv[1], atoi(argv[2]));
    modbus_set_slave(ctx, 1);
    modbus_set_response_timeout(ctx, 2, 0);
    if (modbus_connect(ctx) < 0) fail("connect");
    int rc;
    if (strcmp(argv[3], "check") == 0) {
        rc = check();
    } else if (strcmp(argv[3], "bench") == 0 && argc >= 6) {
        rc = bench(atoi(argv[4]), atof(argv[5]));
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[3]);
        rc = 2;
    }
    modbus_close(ctx);
    modbus_free(ctx);
    fflush(stdout);
    return rc;
}
