"""reintegratie (trajectregistratie): JSON-lines-leveringen naar raw_reintegratie."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("reintegratie")
sensors = [ready_sensor("reintegratie")]
