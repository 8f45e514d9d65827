"""civision (uitkeringenadministratie): CSV-leveringen in Windows-1252 naar raw_civision."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("civision")
sensors = [ready_sensor("civision")]
