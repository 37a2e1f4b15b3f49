"""Debian's pymodbus (3.0) as an independent Modbus master for the interop tests.

usage: pymodbus_master.py tcp <port> | rtu <device>
Runs a fixed sequence against unit 1 and prints one line per step; exits non-zero on the first error.
"""
import sys

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.mei_message import ReadDeviceInformationRequest
from pymodbus.register_read_message import ReadWriteMultipleRegistersRequest


def check(step, response):
    if response.isError():
        print(f"{step} error {response}", flush=True)
        sys.exit(1)
    return response


def main():
    if sys.argv[1] == "tcp":
        client = ModbusTcpClient("127.0.0.1", port=int(sys.argv[2]), timeout=3)
    else:
        client = ModbusSerialClient(port=sys.argv[2], baudrate=19200, parity="N", bytesize=8, stopbits=2, timeout=3)
    if not client.connect():
        print("connect failed", flush=True)
        sys.exit(1)

    check("fc16", client.write_registers(10, [101, 102, 103], slave=1))
    r = check("fc03", client.read_holding_registers(10, 3, slave=1))
    print("fc03", *r.registers)
    r = check("fc04", client.read_input_registers(0, 3, slave=1))
    print("fc04", *r.registers)
    check("fc06", client.write_register(20, 777, slave=1))
    check("fc05", client.write_coil(5, True, slave=1))
    check("fc15", client.write_coils(6, [True, False, True], slave=1))
    r = check("fc01", client.read_coils(5, 4, slave=1))
    print("fc01", *[int(b) for b in r.bits[:4]])
    r = check("fc02", client.read_discrete_inputs(0, 4, slave=1))
    print("fc02", *[int(b) for b in r.bits[:4]])
    r = check("fc23", client.execute(ReadWriteMultipleRegistersRequest(
        read_address=30, read_count=3, write_address=31, write_registers=[99], unit=1)))
    print("fc23", *r.registers)
    r = check("fc43", client.execute(ReadDeviceInformationRequest(read_code=1, object_id=0, unit=1)))
    print("fc43", r.information[1].decode() if isinstance(r.information[1], bytes) else r.information[1])
    client.close()
    print("done", flush=True)


main()
