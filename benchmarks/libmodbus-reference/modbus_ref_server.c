/*
 * Reference Modbus slave on libmodbus, for interoperability tests and as the benchmark's C baseline.
 *
 *   modbus_ref_server tcp <port>                 serve Modbus TCP on 127.0.0.1:<port>, many clients
 *   modbus_ref_server rtu <device> <baud>        serve Modbus RTU (8E1, unit 1) on a serial device
 *
 * Tables (10000 entries each): holding[i] = i, input[i] = (10000 + i) & 0xFFFF,
 * coils[i] = (i % 3 == 0), discrete[i] = (i % 2 == 0). Prints "ready" when it accepts requests.
 */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define ENTRIES 10000

static modbus_mapping_t *make_mapping(void)
{
    modbus_mapping_t *map = modbus_mapping_new(ENTRIES, ENTRIES, ENTRIES, ENTRIES);
    if (map == NULL) {
        fprintf(stderr, "mapping: %s\n", modbus_strerror(errno));
        exit(1);
    }
    for (int i = 0; i < ENTRIES; i++) {
        map->tab_registers[i] = (uint16_t)i;
        map->tab_input_registers[i] = (uint16_t)(10000 + i);
        map->tab_bits[i] = (i % 3 == 0);
        map->tab_input_bits[i] = (i % 2 == 0);
    }
    return map;
}

static int serve_tcp(int port)
{
    modbus_t *ctx = modbus_new_tcp("127.0.0.1", port);
    modbus_mapping_t *map = make_mapping();
    uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    int server = modbus_tcp_listen(ctx, 16);
    if (server < 0) {
        fprintf(stderr, "listen: %s\n", modbus_strerror(errno));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    fd_set all;
    FD_ZERO(&all);
    FD_SET(server, &all);
    int max_fd = server;
    for (;;) {
        fd_set ready = all;
        if (select(max_fd + 1, &ready, NULL, NULL, NULL) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("select");
            return 1;
        }
        for (int fd = 0; fd <= max_fd; fd++) {
            if (!FD_ISSET(fd, &ready)) {
                continue;
            }
            if (fd == server) {
                int client = accept(server, NULL, NULL);
                if (client >= 0) {
                    FD_SET(client, &all);
                    if (client > max_fd) {
                        max_fd = client;
                    }
                }
                continue;
            }
            modbus_set_socket(ctx, fd);
            int rc = modbus_receive(ctx, query);
            if (rc > 0) {
                modbus_reply(ctx, query, rc, map);
            } else if (rc == -1) {
                close(fd);
                FD_CLR(fd, &all);
            }
        }
    }
}

static int serve_rtu(const char *device, int baud)
{
    modbus_t *ctx = modbus_new_rtu(device, baud, 'E', 8, 1);
    modbus_mapping_t *map = make_mapping();
    uint8_t query[MODBUS_RTU_MAX_ADU_LENGTH];
    modbus_set_slave(ctx, 1);
    if (modbus_connect(ctx) < 0) {
        fprintf(stderr, "open %s: %s\n", device, modbus_strerror(errno));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        int rc = modbus_receive(ctx, query);
        if (rc > 0) {
            modbus_reply(ctx, query, rc, map);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "tcp") == 0) {
        return serve_tcp(atoi(argv[2]));
    }
    if (argc >= 4 && strcmp(argv[1], "rtu") == 0) {
        return serve_rtu(argv[2], atoi(argv[3]));
    }
    fprintf(stderr, "usage: %s tcp <port> | rtu <device> <baud>\n", argv[0]);
    return 2;
}
