"""hr (personeelsadministratie): CSV-leveringen met alle velden tussen aanhalingstekens naar raw_hr."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("hr")
sensors = [ready_sensor("hr")]
