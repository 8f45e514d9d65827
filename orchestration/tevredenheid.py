"""tevredenheid (respondentbestanden van het onderzoeksbureau): CSV-leveringen na elk onderzoek naar raw_tevredenheid."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("tevredenheid")
sensors = [ready_sensor("tevredenheid")]
