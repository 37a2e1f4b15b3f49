"""Reads points from Modbus TCP slaves with pymodbus and decodes them from the documented encoding.

Input (stdin): a JSON list of {key, port, unit, table, address, type, order, bit, scale, offset, span}.
Output (stdout): a JSON object {key: value}. Independent of the project's own codec on purpose.
"""
import json
import struct
import sys

from pymodbus.client import ModbusTcpClient

FORMATS = {"Int16": ">h", "UInt16": ">H", "Int32": ">i", "UInt32": ">I", "Float32": ">f",
           "Int64": ">q", "UInt64": ">Q", "Float64": ">d"}


def decode(regs, p):
    if p["type"] == "Bit":
        return (regs[0] >> p["bit"]) & 1
    words = list(regs)
    if p["order"] in ("CDAB", "DCBA"):
        words.reverse()
    data = b"".join(struct.pack(">H", w) for w in words)
    if p["order"] in ("BADC", "DCBA"):
        data = b"".join(data[i + 1:i + 2] + data[i:i + 1] for i in range(0, len(data), 2))
    raw = struct.unpack(FORMATS[p["type"]], data)[0]
    return raw * p["scale"] + p["offset"]


def main():
    points = json.load(sys.stdin)
    clients = {}
    out = {}
    for p in points:
        client = clients.get(p["port"])
        if client is None:
            client = ModbusTcpClient("127.0.0.1", port=p["port"], timeout=3)
            if not client.connect():
                raise SystemExit(f"cannot connect to 127.0.0.1:{p['port']}")
            clients[p["port"]] = client
        table, unit = p["table"], p["unit"]
        if table in ("coil", "discrete"):
            read = client.read_coils if table == "coil" else client.read_discrete_inputs
            r = read(p["address"], 1, slave=unit)
            if r.isError():
                raise SystemExit(f"{p['key']}: {r}")
            out[p["key"]] = 1 if r.bits[0] else 0
            continue
        read = client.read_holding_registers if table == "holding" else client.read_input_registers
        r = read(p["address"], p["span"], slave=unit)
        if r.isError():
            raise SystemExit(f"{p['key']}: {r}")
        out[p["key"]] = decode(r.registers, p)
    for c in clients.values():
        c.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
