"""A Modbus TCP slave that is not ours (pymodbus), for the probe command's tests.

Holding registers 0..3: 230.5 as float32 low word first (CDAB), then 123456 as uint32 high word first.
Coils 0..2: 1, 0, 1. Usage: pymodbus_slave.py PORT
"""
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

port = int(sys.argv[1])
hi, lo = struct.unpack(">HH", struct.pack(">f", 230.5))
u_hi, u_lo = struct.unpack(">HH", struct.pack(">I", 123456))
store = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, [lo, hi, u_hi, u_lo] + [0] * 16),
    co=ModbusSequentialDataBlock(0, [True, False, True] + [False] * 16),
    zero_mode=True,
)
print(f"listening on {port}", flush=True)
StartTcpServer(context=ModbusServerContext(slaves=store, single=True), address=("127.0.0.1", port))
