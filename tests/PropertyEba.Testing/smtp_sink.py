"""An aiosmtpd handler that writes every message it accepts to a folder, one .eml file each.

Run by SmtpSink.cs (and tests/preflight.sh) as:
    PYTHONPATH=<this folder> /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:<port> -c smtp_sink.FolderHandler <folder>
Each file starts with X-Envelope-From / X-Envelope-To lines (what the client said in MAIL FROM / RCPT TO), then the
message exactly as received. Written under a temporary name and renamed, so a reader never sees half a message.
"""
import os
import time
import uuid


class FolderHandler:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.FolderHandler takes one argument: the folder to write messages to")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%s" % (time.time_ns(), uuid.uuid4().hex)
        temporary = os.path.join(self.folder, name + ".tmp")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(temporary, "wb") as f:
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ", ".join(envelope.rcpt_tos))).encode("utf-8"))
            f.write(content)
        os.rename(temporary, os.path.join(self.folder, name + ".eml"))
        return "250 Message accepted for delivery"
