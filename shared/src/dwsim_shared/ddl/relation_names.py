"""Name patterns for inferred relations between columns (data only, read by ``relations.py``).

Matched with ``re.search`` against snake_case names with any table prefix stripped
(``l_shipdate`` in ``lineitem`` -> ``shipdate``).
"""

from dwsim_shared.contracts.enums import Distribution

_AT = r"(_?(at|on|date|time|ts|dt|datetime|timestamp))?"

# A line's price, its quantity and its total: quantity * price.
PRICE = r"^(unit_?price|price|list_?price|sale_?price|selling_?price|retail_?price|price_?each|price_?per_?\w+|priceper\w+)$"
QUANTITY = (
    r"^(quantity|qty|units|num_?units|num_?items|num_?tickets|numtickets|qty_?\w*|quantity_?\w+)$"
)
LINE_TOTAL = r"^(line_?total|line_?amount|extended_?price|extendedprice|ext_?price|total_?price|totalprice|line_?price)$"
AMOUNT = r"^(amount|amt|line_?amount|value|net_?amount)$"
# A parent's total over its lines, and its count of lines.
PARENT_TOTAL = r"^(total|amount|subtotal|sub_total|total_?amount|order_?total|grand_?total|total_?value|order_?amount|total_?price|totalprice|total_?due|amount_?due)$"
COUNT = r"^(item_?count|line_?count|items_?count|lines_?count|num_?(items|lines)|number_?of_?(items|lines)|total_?items|n_?(items|lines)|item_?qty)$"
# People's names.
FIRST = r"^(first_?name|given_?name|fname|forename)$"
LAST = r"^(last_?name|surname|family_?name|lname)$"
FULL = r"^(full_?name|display_?name|contact_?name|person_?name|name)$"
EMAIL = r"e_?mail"
PAYMENT_TABLE = r"pay|invoice|charge|billing"
PAID = r"^(amount|amt|total|amount_?paid|paid_?amount|payment_?amount|invoice_?amount|value)$"
LINE_TABLE = r"(^|_)(line|item|detail|entry|lineitem|line_?item)s?$"

# A table's main moment, by priority: (key, pattern). The first found is the table's main.
MAINS: list[tuple[str, str]] = [
    ("created", rf"^(created|creat(ed|ion)_?(date|time|ts|dt)|created{_AT}|date_?created|create_?(date|time|ts|dt))$"),
    ("ordered", rf"^(ordered{_AT}|order_?(date|time|ts|dt|datetime|timestamp)|orderdate|placed{_AT}|purchased?{_AT})$"),
    ("signup", rf"^(signed_?up{_AT}|sign_?up{_AT}|signup{_AT}|registered{_AT}|registration{_AT}|joined{_AT}|join_?date|member_?since|first_?seen{_AT})$"),
    ("issued", rf"^(issued{_AT}|issue_?date|invoice_?date|billed{_AT}|bill_?date)$"),
    ("started", rf"^(opened{_AT}|open_?date|started{_AT}|start{_AT}|begin_?(date|time)|begins?_?at|valid_?from|effective_?(date|from))$"),
    ("event", rf"^(sale_?(date|time)|saletime|sold{_AT}|transaction_?(date|time)|txn_?(date|time)|event{_AT}|occurred{_AT}|happened{_AT}|booked{_AT}|booking_?date|logged{_AT}|recorded{_AT}|visit(ed)?{_AT}|posted{_AT}|date|ts|timestamp|datetime|time)$"),
]  # fmt: skip

_EXP = Distribution.EXPONENTIAL
# Moments that follow another in the same row: (key, pattern, anchors tried in order (a key of
# MAINS or of an earlier follower; "main" is the table's main), offset in days or None: uniform
# up to the column's max).
FOLLOWERS: list[tuple[str, str, list[str], tuple[Distribution, dict[str, float]] | None]] = [
    ("shipped", rf"^((shipped|dispatched){_AT}|ship_?(date|time|ts|dt)|shipdate)$",
     ["ordered", "main"], (_EXP, {"scale": 2.0})),
    ("delivered", rf"^((delivered|received|arrived){_AT}|(delivery|receipt|arrival)_?(date|time)|receiptdate)$",
     ["shipped", "ordered", "main"], (_EXP, {"scale": 4.0})),
    ("paid", rf"^((paid|settled){_AT}|payment_?date)$", ["issued", "main"], (_EXP, {"scale": 10.0})),
    ("due", rf"^due{_AT}$", ["issued", "main"], (_EXP, {"scale": 20.0})),
    ("ended", rf"^((ended|finished|completed|closed|resolved|stopped|end|expired|expires|terminated){_AT}|(end|finish|completion|close|resolution|expiry|expiration)_?(date|time|ts|dt|at)|valid_?(to|until|thru)|effective_?to)$",
     ["started", "main"], (_EXP, {"scale": 30.0})),
    ("updated", rf"^((updated|modified|changed|last_?(updated|modified|changed)){_AT}|(update|modification)_?(date|time|ts|dt))$",
     ["main"], (_EXP, {"scale": 30.0})),
    ("done", rf"^(approved|confirmed|accepted|processed|verified|activated|published|sent|read){_AT}$",
     ["main"], (_EXP, {"scale": 1.0})),
    ("removed", rf"^(deleted|cancell?ed|archived|removed|refunded|returned|churned|deactivated|suspended){_AT}$",
     ["main"], None),
    ("last", r"^last_?(login|seen|active|activity|visit|access|used|order|ordered|purchase|purchased|logged_?in)\w*$",
     ["main"], None),
]  # fmt: skip

# A child table's main moment after its parent's: (pattern on the child's name, offset).
CHILD_OFFSETS: list[tuple[str, tuple[Distribution, dict[str, float]] | None]] = [
    (LINE_TABLE, (_EXP, {"scale": 0.02})),  # lines are added with their order: minutes
    (r"ship|deliver|fulfil|dispatch", (_EXP, {"scale": 2.0})),
    (r"pay|invoice|charge|refund|transaction|receipt", (_EXP, {"scale": 1.0})),
]
