"""zaken (zaaksysteem): de gepagineerde dump van de ZGW Zaken API naar raw_zaken."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("zaken")
sensors = [ready_sensor("zaken")]
