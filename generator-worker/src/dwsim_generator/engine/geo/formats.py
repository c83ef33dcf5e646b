"""Postcode formats by country (UPU / national post formats): ``#`` a digit, ``@`` a capital
letter, anything else as written. Data only, read by ``dataset.py``.

The countries listed are the countries places are drawn from: ``()`` marks a country without
postcodes (its postcode column is NULL, or empty when NOT NULL). A country with several
formats (GB) gives each of its cities one of them. US postcodes are drawn within their
state's ZIP range instead, and Canadian ones start with their province's letter.
"""

POSTCODES: dict[str, tuple[str, ...]] = {
    # Americas
    "US": ("#####",), "CA": ("@#@ #@#",), "MX": ("#####",), "BR": ("#####-###",),
    "AR": ("@####@@@",), "CL": ("#######",), "CO": ("######",), "PE": ("#####",),
    "VE": ("####",), "EC": ("######",), "UY": ("#####",), "PY": ("####",), "BO": (),
    "CU": ("#####",), "DO": ("#####",), "GT": ("#####",), "CR": ("#####",), "HN": ("#####",),
    "SV": ("####",), "NI": ("#####",), "PA": ("####",), "JM": (), "TT": ("######",),
    "PR": ("#####",),
    # Europe
    "GB": ("@# #@@", "@## #@@", "@@# #@@", "@@## #@@", "@#@ #@@", "@@#@ #@@"),
    "IE": ("@## @#@#",), "FR": ("#####",), "DE": ("#####",), "IT": ("#####",),
    "ES": ("#####",), "PT": ("####-###",), "NL": ("#### @@",), "BE": ("####",),
    "LU": ("L-####",), "CH": ("####",), "AT": ("####",), "DK": ("####",), "SE": ("### ##",),
    "NO": ("####",), "FI": ("#####",), "IS": ("###",), "PL": ("##-###",), "CZ": ("### ##",),
    "SK": ("### ##",), "HU": ("####",), "RO": ("######",), "BG": ("####",), "GR": ("### ##",),
    "HR": ("#####",), "SI": ("####",), "RS": ("#####",), "BA": ("#####",), "MK": ("####",),
    "AL": ("####",), "ME": ("#####",), "EE": ("#####",), "LV": ("LV-####",),
    "LT": ("LT-#####",), "UA": ("#####",), "BY": ("######",), "MD": ("MD-####",),
    "RU": ("######",), "TR": ("#####",), "CY": ("####",), "MT": ("@@@ ####",),
    # Middle East and Africa
    "IL": ("#######",), "SA": ("#####",), "AE": (), "QA": (), "KW": ("#####",),
    "JO": ("#####",), "LB": ("#### ####",), "OM": ("###",), "BH": ("###",), "IR": ("##########",),
    "IQ": ("#####",), "EG": ("#####",), "MA": ("#####",), "DZ": ("#####",), "TN": ("####",),
    "NG": ("######",), "GH": (), "KE": ("#####",), "ZA": ("####",), "ET": ("####",),
    "TZ": ("#####",), "UG": (), "SN": ("#####",), "CI": (), "CM": (),
    # Asia and Oceania
    "IN": ("######",), "PK": ("#####",), "BD": ("####",), "LK": ("#####",), "NP": ("#####",),
    "CN": ("######",), "JP": ("###-####",), "KR": ("#####",), "TW": ("###",), "HK": (),
    "MO": (), "SG": ("######",), "MY": ("#####",), "TH": ("#####",), "VN": ("######",),
    "PH": ("####",), "ID": ("#####",), "MM": ("#####",), "KH": ("#####",), "AU": ("####",),
    "NZ": ("####",), "KZ": ("######",), "UZ": ("######",), "AZ": ("AZ ####",),
    "GE": ("####",), "AM": ("####",), "MN": ("#####",),
}  # fmt: skip

# Country names where the English CLDR name is not the everyday one.
COUNTRY_NAMES = {"HK": "Hong Kong", "MO": "Macao", "CI": "Ivory Coast"}
