"""Name patterns for rule inference: which Faker provider or value set a column name suggests.

Data only (read by ``inference.py``). Patterns are matched with ``re.search`` against the column
name in snake_case lower case, first match wins. Provider names are Faker provider methods; the
number beside each is a width at least 80% of its values (en_US) fit in, so a provider is only chosen
when the column is that wide (the generator still cuts longer values to the column's width).
An entry holding ``#`` is a pattern, for columns too narrow for the Faker value.
"""

# (pattern, [(faker provider or pattern, width), ...] tried in order, null ratio if nullable)
TEXT_PROVIDERS: list[tuple[str, list[tuple[str, int]], float]] = [
    (r"e_?mail", [("email", 32)], 0.0),
    (r"first_?name|given_?name|(^|_)fname$|forename", [("first_name", 11)], 0.0),
    (r"last_?name|surname|family_?name|(^|_)lname$", [("last_name", 11)], 0.0),
    (r"middle_?name", [("first_name", 11)], 0.5),
    (r"user_?name|(^|_)login$|screen_?name|nick_?name|(^|_)handle$", [("user_name", 20)], 0.0),
    (
        r"company|employer|organi[sz]ation|(^|_)org(_name)?$|business_?name|vendor|supplier|merchant|brand",
        [("company", 25)],
        0.0,
    ),
    (
        r"(full|display|contact|customer|client|person|employee|author|owner|manager|patient|student"
        r"|member|guest|driver|passenger|recipient|sender|user)_?name$",
        [("name", 22)],
        0.0,
    ),
    (r"job|occupation|profession|designation", [("job", 40), ("word", 9)], 0.0),
    (
        r"product_?name|item_?name|part_?name|(^|_)title$|headline|subject",
        [("catch_phrase", 45), ("word", 9)],
        0.0,
    ),
    (
        r"(^|_)(phone|mobile|cell|fax|tel|telephone)(_?(number|no|num))?$|phone",
        [("phone_number", 22), ("##-###-###-####", 15), ("###-###-####", 12), ("##########", 10)],
        0.0,
    ),
    (r"(^|_)ip_?v?6", [("ipv6", 39)], 0.0),
    (r"(^|_)ip(v4)?(_?addr(ess)?)?$", [("ipv4", 15)], 0.0),
    (r"mac_?addr", [("mac_address", 17)], 0.0),
    (r"address_?(line_?)?2|addr_?2|apartment|(^|_)suite$", [("secondary_address", 10)], 0.5),
    (r"street|address|(^|_)addr", [("street_address", 40), ("street_name", 20)], 0.0),
    (r"city|town", [("city", 20)], 0.0),
    (r"state_?(code|abbr)|(^|_)(state|province)$", [("state", 14), ("state_abbr", 2)], 0.0),
    (r"country_?(code|iso)|iso_?country", [("country_code", 2)], 0.0),
    (r"country|nation$|nationality", [("country", 22), ("country_code", 2)], 0.0),
    (r"zip|postal|post_?code", [("postcode", 5)], 0.0),
    (r"image_?url|avatar|photo|picture|thumbnail", [("image_url", 60)], 0.0),
    (r"url|website|homepage|(^|_)link$|(^|_)uri$", [("url", 40)], 0.0),
    (r"domain", [("domain_name", 25)], 0.0),
    (r"host_?name", [("hostname", 30)], 0.0),
    (r"user_?agent", [("user_agent", 200)], 0.0),
    (r"currency", [("currency_code", 3)], 0.0),
    (r"language", [("language_name", 25)], 0.0),
    (r"locale", [("locale", 6)], 0.0),
    (r"time_?zone|(^|_)tz$", [("timezone", 30)], 0.0),
    (r"colou?r", [("color_name", 20)], 0.0),
    (r"iban", [("iban", 34)], 0.0),
    (r"swift|(^|_)bic$", [("swift", 11)], 0.0),
    (r"card_?(number|no|num)|credit_?card", [("credit_card_number", 19)], 0.0),
    (r"(^|_)ssn$|social_?security", [("ssn", 11)], 0.0),
    (r"license_?plate|(^|_)plate$", [("license_plate", 9)], 0.0),
    (r"file_?name", [("file_name", 20)], 0.0),
    (r"file_?path|(^|_)path$", [("file_path", 40)], 0.0),
    (r"mime", [("mime_type", 40)], 0.0),
    (r"isbn", [("isbn13", 17)], 0.0),
    (r"(^|_)(ean|upc|barcode)$", [("ean13", 13)], 0.0),
    (r"sha_?256|(^|_)hash$|checksum|token|api_?key|secret", [("sha256", 64), ("md5", 32)], 0.0),
    (r"md5", [("md5", 32)], 0.0),
    (r"pass(word|wd)|(^|_)pwd$", [("password", 12)], 0.0),
    (r"slug", [("slug", 40)], 0.0),
    (r"(^|_)(name|names)$", [], 0.0),  # decided from the table's name, see NAME_BY_TABLE
]

# A bare "name" column: what the table's name says it names.
NAME_BY_TABLE: list[tuple[str, str, int]] = [
    (
        r"customer|client|user|person|people|employee|staff|contact|member|author|patient|student"
        r"|driver|passenger|guest|owner|account_holder|traveler|player",
        "name",
        22,
    ),
    (
        r"supplier|vendor|compan|account|tenant|organi[sz]ation|merchant|partner|manufacturer"
        r"|carrier|bank|brand"
        r"|store|shop|firm|agency|publisher|advertiser|venue",
        "company",
        25,
    ),
    (r"nation|countr", "country", 22),
    (r"cit(y|ies)", "city", 20),
    (
        r"product|part|item|sku|article|book|movie|film|course|project|campaign|event|show",
        "catch_phrase",
        45,
    ),
]

FREE_TEXT = (
    r"comment|description|(^|_)desc$|note|remark|(^|_)bio$|biography|summary|message|(^|_)body$"
    r"|(^|_)text$|content|review|feedback|detail|instruction(?!s?$)|reason|memo|abstract|about"
)

# (pattern, values, weights or None). Weights make the first values the common ones.
CATEGORIES: list[tuple[str, list[str], list[float] | None]] = [
    (r"line_?status", ["F", "O"], None),
    (r"return_?flag", ["A", "N", "R"], None),
    (
        r"order_?status|(^|_)order.*status|fulfil+ment_?status|shipping_?status|delivery_?status",
        ["pending", "processing", "shipped", "delivered", "cancelled", "returned"],
        [0.05, 0.07, 0.1, 0.7, 0.05, 0.03],
    ),
    (
        r"payment_?status|invoice_?status|billing_?status|transaction_?status",
        ["paid", "pending", "failed", "refunded"],
        [0.75, 0.15, 0.05, 0.05],
    ),
    (r"status(_?code)?$", ["active", "inactive", "pending", "suspended"], [0.7, 0.15, 0.1, 0.05]),
    (r"gender|(^|_)sex$", ["female", "male", "non-binary"], [0.49, 0.49, 0.02]),
    (
        r"mkt_?segment|market_?segment",
        ["AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"],
        None,
    ),
    (r"segment", ["consumer", "corporate", "small business", "enterprise"], [0.5, 0.25, 0.15, 0.1]),
    (
        r"ship_?mode|shipping_?method|delivery_?method|carrier_?type",
        ["AIR", "MAIL", "RAIL", "SHIP", "TRUCK", "REG AIR", "FOB"],
        None,
    ),
    (r"ship_?instruct", ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"], None),
    (
        r"payment_?(method|type|mode)|pay_?method",
        ["credit_card", "debit_card", "paypal", "bank_transfer", "cash"],
        [0.45, 0.25, 0.15, 0.1, 0.05],
    ),
    (r"priority", ["low", "medium", "high", "urgent"], [0.3, 0.4, 0.2, 0.1]),
    (
        r"channel|(^|_)source$|medium|referr",
        ["web", "mobile", "store", "phone"],
        [0.45, 0.35, 0.15, 0.05],
    ),
    (r"(^|_)role$", ["user", "editor", "admin", "viewer"], [0.6, 0.15, 0.05, 0.2]),
    (
        r"tier|(^|_)plan$|subscription",
        ["free", "basic", "pro", "enterprise"],
        [0.5, 0.25, 0.2, 0.05],
    ),
    (r"device|platform", ["desktop", "mobile", "tablet"], [0.45, 0.45, 0.1]),
    (r"(^|_)os$|operating_?system", ["Windows", "macOS", "Linux", "iOS", "Android"], None),
    (r"browser", ["Chrome", "Safari", "Edge", "Firefox"], [0.6, 0.2, 0.1, 0.1]),
    (
        r"category",
        ["electronics", "clothing", "home", "books", "sports", "toys", "grocery", "beauty"],
        None,
    ),
    (r"(^|_)region$", ["North", "South", "East", "West", "Central"], None),
    (
        r"(^|_)(day|weekday|day_of_week)(_?name)?$",
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        None,
    ),
    (
        r"(^|_)month(_?name)?$",
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        None,
    ),
    (r"(^|_)(qtr|quarter)$", ["Q1", "Q2", "Q3", "Q4"], None),
    (r"(^|_)size$", ["XS", "S", "M", "L", "XL"], [0.1, 0.25, 0.3, 0.25, 0.1]),
    (r"(^|_)level$", ["low", "medium", "high"], [0.3, 0.5, 0.2]),
    (
        r"(^|_)(type|kind|class|classification)$",
        ["standard", "premium", "basic", "other"],
        [0.5, 0.2, 0.25, 0.05],
    ),
    (r"(^|_)flag$", ["Y", "N"], [0.3, 0.7]),
]

# Calendar names, and a fallback for glued names (venuestate): tried only when the name as
# written matched nothing, by splitting off one of these words at its end.
GLUED_SUFFIXES = (
    "description", "address", "country", "comment", "status", "amount", "email", "phone",
    "price", "state", "total", "city", "name", "desc", "type", "code", "date", "time", "cost",
    "zip",
)  # fmt: skip

# Booleans: probability of true by name.
BOOLEAN_PROBABILITY: list[tuple[str, float]] = [
    (
        r"delet|archiv|bann|block|fraud|(^|_)test|spam|suspend|cancel|churn|error|fail|bounce|refund"
        r"|return",
        0.05,
    ),
    (r"admin|superuser|staff|vip|premium", 0.1),
    (
        r"active|enabled|verified|valid|confirmed|available|visible|published|subscri|opt_?in|consent",
        0.85,
    ),
]

# Columns that are usually empty when they are nullable (null ratio).
MOSTLY_NULL = r"(deleted|cancell?ed|archived|closed|ended|expired|removed|terminated|refunded)_?(at|on|date|time)"
