"""schuldhulp (schuldhulpverlening): CSV-leveringen in UTF-8 met BOM naar raw_schuldhulp."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("schuldhulp")
sensors = [ready_sensor("schuldhulp")]
