"""Name, street and employer lists for plausible (fictitious) persons and addresses."""
from __future__ import annotations

import numpy as np

ACHTERNAMEN = np.array([
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen", "Post",
    "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma", "Martens", "Vink",
    "de Ruiter", "Timmermans", "Groen", "Gerritsen", "Jonker", "van Loon", "Boer", "van der Velde", "Willemsen",
    "Smeets", "de Lange", "de Vos", "Bosch", "van Dongen", "Schipper", "de Koning", "van der Laan", "Koning",
    "Yılmaz".replace("ı", "i"), "Kaya", "Demir", "Şahin".replace("Ş", "S"), "Çelik", "Öztürk", "Aydın".replace("ı", "i"),
    "El Amrani", "Bouzid", "El Idrissi", "Benali", "Ait Taleb", "Haddou", "Mohamed", "Ahmed", "Hussein",
    "Abdi", "Tesfay", "Ghebremedhin", "Kowalski", "Nowak", "Wiśniewski".replace("ś", "s"), "Martina", "Rosario",
    "Doelwijt", "Ramdin", "Sewnath", "Nguyen", "Tran", "Silva", "Santos", "Pereira", "Hoëvenaars", "Müller",
])
LETTERS = np.array(list("AAABCDEFGHHIJJJKLMMMNPRRSSTWY"))
STRATEN = np.array([
    "Hoogstraat", "Kerkstraat", "Dorpsstraat", "Stationsweg", "Schoolstraat", "Molenstraat", "Julianalaan",
    "Wilhelminastraat", "Beatrixlaan", "Oranjestraat", "Prins Hendrikstraat", "Emmastraat", "Parkweg",
    "Lijnbaan", "Havenstraat", "Marktplein", "Rozenlaan", "Tulpstraat", "Lindelaan", "Eikenlaan",
    "Van der Palmstraat", "Singel", "Broersvest", "Westlandseweg", "Burgemeester Pruissingel", "Nieuwe Haven",
    "Koningin Julianastraat", "Merellaan", "Zwanenlaan", "Gorsstraat", "Groen van Prinstererstraat",
    "Jan Steenstraat", "Rembrandtlaan", "Vermeerstraat", "Frans Halsstraat", "Churchillweg", "Hargplein",
    "Noordvliet", "Zuidvliet", "Dr. Wiardi Beckmansingel", "Brink", "Eshof", "Meppelerweg", "Oosterstraat",
])
POSTCODE_LETTERS = np.array([a + b for a in "ABCDEGHJKLMNPRTVWXZ" for b in "ABCDEGHJKLMNPRTVWXZ"
                             if a + b not in ("SA", "SD", "SS")])
SECTOREN = np.array(["Groen", "Schoonmaak", "Logistiek", "Zorg", "Horeca", "Techniek", "Overheid", "Detailhandel",
                     "Productie", "Facilitair"])


def voorletters(rng: np.random.Generator, n: int) -> np.ndarray:
    k = rng.choice(3, size=n, p=[0.45, 0.40, 0.15]) + 1
    parts = [np.char.add(LETTERS[rng.integers(0, len(LETTERS), n)], ".") for _ in range(3)]
    out = parts[0]
    for i in (1, 2):
        out = np.where(k > i, np.char.add(out, parts[i]), out)
    return out
