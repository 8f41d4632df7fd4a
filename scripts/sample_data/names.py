"""Names for the non-HO institutions: the ROCs/AOCs as they were in 2007, and the words that
invented vo, vmbo and primary school names are made of."""

MBO_INSTITUTION_SPECS = [
    # (name, town, relative size); the last ones are AOCs (agrarische opleidingscentra).
    ("ROC van Amsterdam", "Amsterdam", 3.2), ("ROC ASA", "Utrecht", 1.3), ("ROC Zadkine", "Rotterdam", 2.4),
    ("Albeda College", "Rotterdam", 2.2), ("ROC Mondriaan", "'s-Gravenhage", 2.2), ("ROC Leiden", "Leiden", 1.0),
    ("Da Vinci College", "Dordrecht", 1.1), ("ROC Midden Nederland", "Utrecht", 2.0),
    ("MBO Amersfoort", "Amersfoort", 0.9), ("ROC Nova College", "Haarlem", 1.3),
    ("ROC Kop van Noord-Holland", "Den Helder", 0.5), ("Horizon College", "Alkmaar", 1.0),
    ("ROC ID College", "Gouda", 0.8), ("ROC A12", "Ede", 1.0), ("ROC Rijn IJssel", "Arnhem", 1.3),
    ("ROC Nijmegen", "Nijmegen", 1.4), ("ROC Aventus", "Apeldoorn", 1.5),
    ("Graafschap College", "Doetinchem", 0.8),
    ("Deltion College", "Zwolle", 1.5), ("Landstede", "Zwolle", 1.0), ("ROC van Twente", "Hengelo", 1.9),
    ("Noorderpoort", "Groningen", 1.5), ("Alfa-college", "Groningen", 0.9), ("Drenthe College", "Assen", 0.9),
    ("ROC Friese Poort", "Leeuwarden", 1.0), ("Friesland College", "Leeuwarden", 1.0),
    ("ROC Flevoland", "Almere", 0.9), ("ROC Zeeland", "Vlissingen", 0.8), ("ROC West-Brabant", "Breda", 1.6),
    ("ROC Tilburg", "Tilburg", 1.4), ("Koning Willem I College", "'s-Hertogenbosch", 1.2),
    ("ROC Eindhoven", "Eindhoven", 1.7), ("Arcus College", "Heerlen", 1.0),
    ("Leeuwenborgh Opleidingen", "Maastricht", 0.9), ("Gilde Opleidingen", "Roermond", 1.0),
    ("AOC Oost", "Almelo", 0.6), ("AOC Terra", "Groningen", 0.5), ("Clusius College", "Alkmaar", 0.5),
    ("Wellantcollege", "Utrecht", 0.6), ("Helicon Opleidingen", "'s-Hertogenbosch", 0.5),
]
AOC_NAMES = {"AOC Oost", "AOC Terra", "Clusius College", "Wellantcollege", "Helicon Opleidingen"}

VO_EPONYMS = [
    "Comenius", "Erasmus", "Thorbecke", "Spinoza", "Huygens", "Vermeer", "Rembrandt", "Van Oldenbarnevelt",
    "Marnix", "Stanislas", "Montaigne", "Descartes", "Calvijn", "Augustinus", "Da Vinci", "Dalton",
    "Maerlant", "Vossius", "Linnaeus", "Revius", "Gomarus", "Menso Alting", "Greijdanus", "Etty Hillesum",
    "Sint-Ignatius", "Sint-Odulphus", "Bonaventura", "Groen van Prinsterer", "Johan de Witt",
    "Thomas à Kempis", "Wolfert van Borselen", "Het Baken", "De Breul", "Het Rhedens", "De Populier",
    "Twickel", "Reggesteyn", "Hondsrug", "Carmel", "Penta", "Piter Jelles", "Bogerman", "Canisius",
    "Coornhert", "Sint-Maartens", "Willem de Zwijger", "Jan van Egmond", "Van der Capellen", "Het Nieuwe",
    "Het Stedelijk", "Isendoorn", "Vechtdal", "Dr. Nassau", "Werkplaats", "Oosterlicht", "Pallas",
    "Minkema", "Bernardinus", "Emmaus", "Valuascollege", "Titus Brandsma", "Mgr. Frencken", "Ichthus",
    "Bisschop Möller", "Jac. P. Thijsse", "Christiaan Huygens", "Porta Mosana", "Sint-Michaël", "Bèta",
]
VO_KINDS = ["{} College", "{} Lyceum", "Scholengemeenschap {}", "{} Scholengemeenschap",
            "Christelijk Lyceum {}", "Katholieke Scholengemeenschap {}", "Openbare Scholengemeenschap {}"]
VMBO_EPONYMS = [
    "De Rietlanden", "Het Assink", "De Noordgouw", "Het Kwadrant", "De Lingeborgh", "Sint-Joris",
    "De Hogeberg", "Het Vlietland", "De Ring van Putten", "Het Mozaïek", "De Nieuwe Veste", "Het Element",
    "De Meergronden", "Were Di", "De Amstel", "Het Plein", "De Vonk", "Het Perron", "De Brug", "Het Atrium",
    "De Driestar", "Het Streek", "De Kring", "Het Lyceum", "De Waerdenborch", "Het Hooghuis", "De Wissel",
    "De Passage", "Het Venster", "De Rede", "Het Wellantcollege", "De Boog", "Het Baarnsch", "De Kempel",
]
VMBO_KINDS = ["{} College", "Vmbo {}", "Scholengemeenschap {}", "{} Vmbo", "Scholengroep {}",
              "Praktijkgericht Onderwijs {}", "Christelijk Vmbo {}"]
PO_NAMES = [
    "De Regenboog", "Het Kompas", "De Wegwijzer", "De Fontein", "'t Palet", "De Vlinder", "De Sterrenboom",
    "Sint Jozef", "De Klimop", "Het Mozaïek", "De Wilgen", "De Zonnewijzer", "Prins Willem-Alexander",
    "Koningin Beatrix", "De Springplank", "De Bron", "Het Anker", "De Ark", "De Triangel", "De Horizon",
    "De Tweemaster", "Sint Maarten", "De Linde", "Het Spectrum", "De Meander", "De Driesprong",
    "'t Startblok", "De Eendracht", "Willibrordus", "Titus Brandsma", "De Kameleon", "Het Octaaf",
    "De Vuurtoren", "De Molenwiek", "De Boomgaard", "De Piramide", "Het Kroonjuweel", "De Wereldwijzer",
    "De Notenkraker", "De Schakel", "Het Talent", "De Zevensprong", "De Esch", "Den Bongerd", "De Akker",
    "Sint Theresia", "De Vogelaar", "Het Avontuur", "De Klaverweide", "Juliana", "Oranje Nassau",
]
PO_KINDS = ["Basisschool {}", "OBS {}", "CBS {}", "RKBS {}", "PCBS {}", "Daltonschool {}",
            "Montessorischool {}", "Jenaplanschool {}", "Openbare Basisschool {}", "Christelijke Basisschool {}"]
