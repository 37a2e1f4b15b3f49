"""Debian's pymodbus (3.0) as an independent Modbus slave for the interop tests.

usage: pymodbus_slave.py tcp <port> | rtu <device>
Unit 1 tables: holding[i] = i, input[i] = 10000 + i, coils[i] = (i % 3 == 0), discrete[i] = (i % 2 == 0).
"""
import asyncio
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

N = 2000


def context():
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [i % 2 == 0 for i in range(N)]),
        co=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(N)]),
        hr=ModbusSequentialDataBlock(0, list(range(N))),
        ir=ModbusSequentialDataBlock(0, [10000 + i for i in range(N)]),
        zero_mode=True,
    )
    return ModbusServerContext(slaves={1: unit}, single=False)


IDENTITY = ModbusDeviceIdentification(
    info_name={"VendorName": "pymodbus-vendor", "ProductCode": "PM-1", "MajorMinorRevision": "3.0"}
)


async def main():
    logging.basicConfig(level=logging.WARNING)
    mode = sys.argv[1]
    if mode == "tcp":
        await StartAsyncTcpServer(
            context=context(), identity=IDENTITY, address=("127.0.0.1", int(sys.argv[2])), framer=ModbusSocketFramer
        )
    else:
        await StartAsyncSerialServer(
            context=context(), identity=IDENTITY, framer=ModbusRtuFramer,
            port=sys.argv[2], baudrate=19200, parity="N", bytesize=8, stopbits=2, timeout=0.005,
        )


asyncio.run(main())
