"""kcc (klantcontactregistratie): UTF-16-tekstexport met Nederlandse kolomlabels naar raw_kcc."""
from .file_assets import file_system_assets, ready_sensor

assets = file_system_assets("kcc")
sensors = [ready_sensor("kcc")]
