"""Debian's pymodbus (3.0) as a throughput reference: the same loop as modbus_ref_client.c's bench mode.

usage: /usr/bin/python3 pymodbus_bench.py <host> <port> <registers> <seconds>   -> prints "tx/s N"
"""
import sys
import time

from pymodbus.client import ModbusTcpClient

host, port, registers, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
client = ModbusTcpClient(host, port=port, timeout=2)
client.connect()
for _ in range(100):
    client.read_holding_registers(0, registers, slave=1)
n = 0
start = time.monotonic()
end = start + seconds
while True:
    for _ in range(100):
        r = client.read_holding_registers(0, registers, slave=1)
        if r.isError():
            sys.exit(f"error {r}")
    n += 100
    now = time.monotonic()
    if now >= end:
        break
print(f"tx/s {n / (now - start):.0f}")
client.close()
