# Generates the long work logs used by the scenarios in rules/crossborder
# (100-day, 134-day and 203-day logs for the 25 %, 50 %, 34-day and 183-day
# boundaries). Run: python3 generate.py
import json, os, datetime as dt
D=dt.date
def spread(start, end, n):
    # n distinct dates spread evenly from start to end inclusive
    span=(end-start).days
    return [start+dt.timedelta(days=round(i*span/(n-1))) for i in range(n)]
def interleave(dates, groups):
    # groups: list of (count, template); distribute evenly: assign by a round-robin on proportion
    total=sum(c for c,_ in groups)
    assert total==len(dates)
    seq=[]
    used=[0]*len(groups)
    for i in range(total):
        # pick group with largest deficit
        best=max(range(len(groups)), key=lambda g: (groups[g][0]*(i+1)/total - used[g]))
        used[best]+=1
        seq.append(groups[best][1])
    return [dict(t, date=d.isoformat()) for d,t in zip(dates, seq)]
def emp(id, residence, ss, days, **kw):
    e={"id":id,"start_date":"2015-01-01","residence":residence,"ss_country":ss,"days":days}
    e.update(kw); return e
def write(name, employees, seat="NL"):
    doc={"employer":{"name":"Grensbedrijf","headcount":50,"seat_country":seat,"employees":employees}}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "w") as f:
        f.write('{"employer": {"name": "Grensbedrijf", "headcount": 50, "seat_country": "%s", "employees": [\n' % seat)
        for i,e in enumerate(employees):
            dd=e.pop("days")
            head=json.dumps(e)[:-1]
            f.write('  '+head+', "days": [\n')
            for j,d in enumerate(dd):
                f.write('    '+json.dumps(d)+(',\n' if j<len(dd)-1 else '\n'))
            f.write('  ]}'+(',\n' if i<len(employees)-1 else '\n'))
        f.write(']}}\n')

# --- social security: 100 working days in 2024, one 12-month window
ds=spread(D(2024,1,2), D(2024,12,20), 100)
HOME_BE={"country":"BE","location":"home"}
OFF_NL={"country":"NL","location":"office"}
CLIENT_BE={"country":"BE","location":"elsewhere"}
fa_a1=[{"basis":"framework","legislation_country":"NL","valid_from":"2023-07-01","valid_to":"2026-06-30","requested_on":"2023-07-10"}]
ss=[
 emp("e1-25pct-nl", "BE","NL", interleave(ds,[(25,HOME_BE),(75,OFF_NL)])),
 emp("e2-24pct-nl", "BE","NL", interleave(ds,[(24,HOME_BE),(76,OFF_NL)])),
 emp("e3-24pct-be", "BE","BE", interleave(ds,[(24,HOME_BE),(76,OFF_NL)])),
 emp("e4-25pct-fa", "BE","NL", interleave(ds,[(25,HOME_BE),(75,OFF_NL)]), a1_certificates=fa_a1),
 emp("e5-50pct-fa", "BE","NL", interleave(ds,[(50,HOME_BE),(50,OFF_NL)]), a1_certificates=fa_a1),
 emp("e6-49pct-fa", "BE","NL", interleave(ds,[(49,HOME_BE),(51,OFF_NL)]), a1_certificates=fa_a1),
 emp("e7-49pct-nofa", "BE","NL", interleave(ds,[(49,HOME_BE),(51,OFF_NL)])),
 emp("e8-50pct-nofa", "BE","NL", interleave(ds,[(50,HOME_BE),(50,OFF_NL)])),
 emp("e9-30pct-client", "BE","NL", interleave(ds,[(25,HOME_BE),(5,CLIENT_BE),(70,OFF_NL)])),
 emp("e10-25pct-be", "BE","BE", interleave(ds,[(25,HOME_BE),(75,OFF_NL)])),
 emp("e11-25pct-gb", "GB","NL", [dict(d, country=("GB" if d["country"]=="BE" else "NL")) for d in interleave(ds,[(25,HOME_BE),(75,OFF_NL)])]),
]
write("social_security_2024.json", ss)

# --- NL-DE 34-day rule, calendar year 2026 (and 2025 for comparison)
def de_year(year, n_out, extra=None, split=None):
    ds=spread(D(year,1,5), D(year,12,18), n_out+100)
    dd=interleave(ds,[(n_out,{"country":"DE","location":"home","start":"09:00","end":"17:00"}),(100,{"country":"NL","location":"office","start":"09:00","end":"17:00"})])
    if extra: dd.append(extra)
    return dd
de=[
 emp("d1-34-nosplit","DE","NL", de_year(2026,34), wage_tax_split=False),
 emp("d2-34-split","DE","NL", de_year(2026,34), wage_tax_split=True),
 emp("d3-35-nosplit","DE","NL", de_year(2026,35), wage_tax_split=False),
 emp("d4-35-split","DE","NL", de_year(2026,35), wage_tax_split=True),
 emp("d5-34+30min","DE","NL", de_year(2026,34,{"date":"2026-12-21","country":"DE","location":"home","start":"16:30","end":"17:00"}), wage_tax_split=False),
 emp("d6-34+29min","DE","NL", de_year(2026,34,{"date":"2026-12-21","country":"DE","location":"home","start":"16:31","end":"17:00"}), wage_tax_split=False),
 emp("d7-34+night","DE","NL", de_year(2026,34,{"date":"2026-12-21","country":"DE","location":"home","start":"23:45","end":"00:15"}), wage_tax_split=False),
]
write("treaty_de_2026.json", de)
write("treaty_de_2026_german_employer.json", [
 emp("g1-nl-resident-35","NL","DE", [dict(d, country=("NL" if d["country"]=="DE" else "DE")) for d in de_year(2026,35)], wage_tax_split=False),
 emp("g2-nl-resident-34","NL","DE", [dict(d, country=("NL" if d["country"]=="DE" else "DE")) for d in de_year(2026,34)], wage_tax_split=False)], seat="DE")

# --- 183 days in 12 months: NL resident, NL employer, work in DE / BE
def stay(year, n_abroad, country):
    ds=spread(D(year,1,2), D(year,12,30), n_abroad+20)
    return interleave(ds,[(n_abroad,{"country":country,"location":"elsewhere"}),(20,{"country":"NL","location":"office"})])
st=[
 emp("s1-de-183","NL","NL", stay(2024,183,"DE")),
 emp("s2-de-184","NL","NL", stay(2024,184,"DE")),
 emp("s3-be-183","NL","NL", stay(2024,183,"BE")),
 emp("s4-be-184","NL","NL", stay(2024,184,"BE")),
]
write("stay_183_2024.json", st)
