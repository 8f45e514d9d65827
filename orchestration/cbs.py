"""cbs (bevolking, StatLine): bevolking.csv naar raw_cbs, geladen zodra de inhoud nieuw is."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("cbs")
sensors = [ready_sensor("cbs")]
