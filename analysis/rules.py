"""Bilingual (English/Italian) rule patterns: strong phrasings per indicator, absence cues and context words."""
# ruff: noqa: E501  (regular expressions read better unbroken than split across lines)

from __future__ import annotations

import re

_NUM = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|quindici|venti)"
_CHILD = (
    r"(?:boy|girl|child|children|kids?|minor|minors|teenager|\d{1,2}-year-old|ragazzin\w|bambin\w|minor[ei]|minorenn\w)"
)
_PERSON = r"(?:<person_\d+>|the (?:man|woman|madam|boss|intermediary|broker|caporale|gangmaster|uncle|father|family|driver)|'?\w+'?)"

# Phrasings that on their own (with weak semantic support) show an indicator. Matched on normalised text.
STRONG: dict[str, tuple[str, ...]] = {
    "documents_confiscated": (
        r"\b(?:took|taken|takes|take|confiscat\w*|kept|keeps|keep|holds?|held|withh[eo]ld\w*|seiz\w+|retain\w*)\b[^;]{0,40}\b(?:passports?|id cards?|identity (?:papers|documents|cards?)|residence permits?|papers)\b",
        r"\b(?:passports?|identity (?:papers|documents)|residence permits?)\b[^;]{0,40}\b(?:were|was|are|is|been|being) (?:taken|confiscated|withheld|kept|seized|retained)\b",
        r"\b(?:tolt[oiae]|pres[oiae]|sequestrat\w|trattien\w|trattenut\w|tien[ea]|tengono|ritirat\w)\b[^;]{0,30}\b(?:passaport\w|document\w|permess\w di soggiorno|carta d'identità)",
        r"\b(?:passaport\w|document\w|permess\w di soggiorno)\b[^;]{0,30}\b(?:l[oia] tien\w|sono stat\w (?:tolt|sequestrat|trattenut)\w|è stat\w (?:tolt|sequestrat|trattenut)\w)",
    ),
    "debt_bondage": (
        r"\b(?:owes?|owed|owing)\b[^;]{0,30}\b(?:\d|euros?|dollars?|money|thousand)",
        r"\b(?:repay|repaid|pay back|paid back|pay off|paid off)\b[^;]{0,40}\b(?:debt|journey|trip|travel|loan|sponsor)\b",
        r"\buntil\b[^;]{0,40}\b(?:were|was|is|are) (?:repaid|paid (?:off|back))",
        r"\b(?:debt|debts)\b[^;]{0,30}\b(?:journey|trip|travel|grows|growing|bigger)\b",
        r"\b(?:debito|debiti)\b",
        r"\b(?:restituire|ripagare|saldare|rimborsare)\b[^;]{0,40}\b(?:euro|debito|viaggio|soldi)\b",
    ),
    "restricted_movement": (
        r"\blocked (?:in|up|inside)\b|\block(?:s|ed)? (?:the door|them in|her in|him in|us in)",
        r"\bnot (?:allowed|permitted) to (?:leave|go out|go outside|walk out)\b",
        r"\b(?:could|can) only be opened from (?:the )?outside\b",
        r"\b(?:could not|cannot|can't|never) (?:leave|go out)(?: alone| on (?:her|his) own)?\b",
        r"\bescorted (?:everywhere|at all times)\b|\bguarded\b",
        r"\bchius[aoie] a chiave\b|\bchiudono a chiave\b",
        r"\bnon (?:le |gli |ci |mi |li )?(?:permett\w*|lasci\w*|consent\w*) (?:di )?uscire\b",
        r"\bnon (?:può|possono|poteva|potevano|posso) uscire\b|\b(?:accompagna|accompagnano|segue) ovunque\b|\bsorvegliat\w",
    ),
    "threats_against_family": (
        r"\b(?:threat\w*|harm\w*|hurt|kill\w*)\b[^;]{0,60}\b(?:family|parents|mother|father|sister|brother|relatives)\b",
        r"\b(?:family|parents|mother|father|sister|brother|relatives)\b[^;]{0,30}\b(?:would|will|could) be (?:harmed|hurt|killed|attacked)",
        r"\b(?:minacc\w+|uccid\w+|far(?:e|anno|ebbero) del male)\b[^;]{0,60}\b(?:famiglia|genitori|madre|padre|sorella|fratello|parenti)\b",
        r"\b(?:famiglia|genitori|madre|padre|parenti)\b[^;]{0,40}\b(?:sarebbe|sarebbero|verrebbe|verrebbero) (?:stat\w )?(?:uccis\w|colpit\w|punit\w)",
    ),
    "physical_violence": (
        r"\b(?:beat|beats|hit|hits|kicked|slapped|punched|whipped|burned|burnt|raped|assaulted|attacked)\b(?: and \w+)?\s+(?:her|him|me|them|us|the (?:girl|boy|woman|man|child|victim|workers?))\b",
        r"\b(?:was|were|been|get|got|gets|being)\s+(?:beaten|hit|kicked|slapped|raped|punched|whipped|burned|assaulted|sexually abused)\b",
        r"\b(?:raped|sexually abused|bruises|beatings?)\b",
        r"\bpicchiat\w|\bpicchia(?:no|va|vano)?\b|\bviolentat\w|\bstuprat\w|\blividi\b|\bbotte\b|\bpercoss\w|\bschiaffegg\w|\bpres\w a (?:calci|pugni|schiaffi)",
    ),
    "ritual_oath_juju": (
        r"\b(?:juju|voodoo|shrine|native doctor|ritual oath|oath ceremony)\b",
        r"\b(?:swear|swore|sworn)\b[^;]{0,40}\b(?:obey|repay|pay|never|not to|secret|loyal)\b",
        r"\b(?:rito (?:juju|voodoo)|giuramento|sacerdote tradizionale|santone|stregone)\b",
        r"\bgiurare di\b|\bha giurato\b",
    ),
    "isolation_no_language": (
        r"\b(?:does not|doesn't|did not|didn't|cannot|can't|could not) speak (?:italian|english|french|spanish|dutch|german|greek|the (?:local )?language)\b",
        r"\b(?:took|taken|confiscated|takes) (?:away )?(?:his|her|my|their) (?:mobile )?phones?\b",
        r"\b(?:does not|doesn't|did not|didn't) know (?:where|which city|the address|anyone|anybody)\b",
        r"\bnon (?:parla|parlano|parlava|capisce) (?:l')?italiano\b",
        r"\bnon sa (?:indicare|dire) (?:dove|in quale|in che)\b|\bnon conosce nessuno\b",
    ),
    "recruited_by_deception": (
        r"\b(?:promised|assured|offered|told (?:her|him|them|me|her parents|his parents))\b[^;]{0,60}\b(?:job|work|position|employment|school|studies|study|salary|earn\w*|wage)\b",
        r"\b(?:promess\w|assicurat\w|offert\w|garantit\w)\b[^;]{0,60}\b(?:lavoro|impiego|posto|scuola|studiare|stipendio|guadagn\w)\b",
        r"\b(?:deceived|tricked|lured|false (?:job|promise)|fake job)\b|\bingannat\w|\badescat\w",
    ),
    "travel_arranged_by_others": (
        r"\b(?:journey|trip|travel|tickets?|flight|visa|crossing)\b[^;]{0,40}\b(?:organi[sz]ed|arranged|paid for|financed)\b[^;]{0,15}\bby\b",
        r"\b(?:organi[sz]ed|arranged|paid for|financed)\s+(?:his|her|their|the)\s+(?:journey|trip|travel|tickets?|passage)",
        r"\blent\b[^;]{0,40}\bmoney for (?:the|his|her|their) (?:trip|journey|travel)",
        r"\b(?:viaggio|biglietto|traversata)\b[^;]{0,50}\b(?:organizzat\w|pagat\w|anticipat\w|finanziat\w)\b",
        r"\b(?:organizzat\w|pagat\w|anticipat\w)\b[^;]{0,20}\b(?:il |l')?(?:viaggio|biglietto)\b",
    ),
    "false_documents": (
        r"\b(?:false|fake|forged|counterfeit|falsified|borrowed)\s+(?:passports?|documents|papers|ids?|identity)",
        r"\b(?:passports?|documents|papers)\b[^;]{0,30}\b(?:other people's|another person's|someone else's|other names|another name)",
        r"\b(?:document\w|passaport\w)\s+(?:fals\w|contraffatt\w)|\b(?:a|con) (?:un )?(?:altro nome|nome diverso)",
    ),
    "controlled_by_third_party": (
        r"\b(?:answered|answers|spoke|speaks|replied) (?:every question )?for (?:her|him|them)\b",
        r"\bwould not (?:leave the room|let (?:her|him) speak)",
        r"\brispond\w+ (?:per|al posto di) (?:lei|lui)\b",
    ),
    "coached_story_fear_of_authorities": (
        r"\b(?:afraid|scared|fear\w*)\b[^;]{0,40}\b(?:police|deport\w*|prison|arrest\w*|sent back)\b",
        r"\btold\b[^;]{0,20}\b(?:police|authorities)\b[^;]{0,40}\b(?:prison|arrest|deport|send (?:her|him|them) back|sent back)",
        r"\btold (?:her|him|them|me) what to say\b|\bsame story\b",
        r"\b(?:paura|teme|timore)\b[^;]{0,60}\b(?:polizia|espuls\w|rimpatri\w|rimand\w|carcere|arrest\w)",
        r"\bpolizia\b[^;]{0,30}\b(?:rimander\w+|rimpatrier\w+|espeller\w+|arrester\w+|carcere)",
        r"\bcosa dire alla polizia\b|\bstessa storia\b",
    ),
    "abuse_of_vulnerability_status": (
        r"\b(?:illegal immigrants?|undocumented|without (?:a )?(?:residence )?permits?|irregular (?:status|migrants?))\b",
        r"\b(?:could no longer|could not|cannot) (?:feed|support) (?:his|her|their)\b|\bdestitute\b|\bnowhere else to go\b|\bno other choice\b",
        r"\bgave (?:her|him|them) drugs\b|\baddicted\b",
        r"\bnon (?:hanno|ha|aveva|avevano) (?:il )?permesso di soggiorno\b|\bsenza (?:il )?permesso di soggiorno\b",
        r"\bsenza mezzi\b|\bstato di bisogno\b|\bnon avev\w+ (?:altra )?scelta\b|\birregolar\w+\b",
    ),
    "frequent_relocation": (
        r"\bmoved (?:her|him|them|us) (?:from|to|between|every)\b",
        r"\b(?:every|each) (?:few )?(?:weeks?|days|months?)\b[^;]{0,30}\b(?:moved|another city|different city)",
        r"\b(?:spostat\w|trasferit\w)\b[^;]{0,30}\b(?:città|ogni)\b",
    ),
    "many_people_one_address": (
        rf"\b{_NUM} (?:people|men|women|girls|boys|workers|persons|of us)\b[^;]{{0,30}}\b(?:one|a single|the same|same) (?:room|flat|apartment|house)\b",
        rf"\bwith {_NUM} (?:other )?(?:people|persons|boys|girls|men|women|workers)\b",
        rf"\bsingle (?:toilet|bathroom|room) for {_NUM}\b",
        rf"\bcon altr[ie] (?:{_NUM} )?(?:persone|ragazzi|ragazze|uomini|donne|lavoratori)\b",
        r"\bun'unica stanza\b|\buna sola stanza\b|\bun solo locale\b",
    ),
    "earnings_handed_over": (
        r"\b(?:give|gives|gave|hand|hands|handed|handing)\b[^;]{0,25}\b(?:all|every|the) (?:the )?(?:money|earnings|euro|coins|cash|takings)\b",
        r"\b(?:took|takes|taking|collect\w*|empt\w+)\b[^;]{0,20}\b(?:the )?(?:coins|money|earnings|takings)\b[^;]{0,40}\b(?:from|of) (?:the )?(?:children|her|him|them|girls|boys|workers)",
        r"\bkeeps? (?:all|everything|most)\b[^;]{0,20}\b(?:earn\w*|money)\b",
        r"\b(?:consegnar\w*|dar\w*|ritir\w+|prend\w+|raccoglie)\b[^;]{0,30}\b(?:tutto l'incasso|tutti i soldi|tutto il denaro|il denaro raccolto|l'incasso)\b",
    ),
    "payment_to_third_party": (
        rf"\b(?:paid|pay|pays|paying)\s+{_PERSON}\s+(?:to have sex|for (?:her|him|sex|the (?:girl|boy|baby|child)))",
        r"\b(?:sent|send|sends|paid|gave)\b[^;]{0,20}\b(?:euros?|money|dollars?)\b[^;]{0,25}\bto (?:her|his|their|the) (?:father|mother|family|parents|uncle)\b",
        r"\b(?:sold|bought)\s+(?:her|him|the (?:girl|boy|child|baby))\b",
        r"\b(?:versat\w|pagat\w|dat[oi])\b[^;]{0,40}\b(?:all'intermediario|al padre|alla famiglia|al caporale|allo zio|alla madre)\b",
        r"\b(?:l'hanno|l'ha|è stat\w) (?:vendut\w|comprat\w)\b",
    ),
    "no_pay_or_wages_withheld": (
        r"\b(?:not|never) (?:been )?paid\b|\bunpaid\b|\breceived no (?:money|wages?|pay|salary)\b|\bno (?:wages?|salary)\b",
        r"\b(?:\d+|one|two|three|four|five|six) (?:euros?|dollars?) (?:an|per|a) (?:hour|day)\b",
        r"\b(?:under|below) the (?:provincial |national )?(?:collective agreement|minimum wage)\b",
        r"\bdeducts?\b[^;]{0,40}\b(?:meals|food|beds?|rent|transport|cost)\b",
        r"\bnon (?:lo |la |li |le |mi |ci )?(?:pagano|paga|pagava|pagavano|retribuisc\w+)\b|\bsenza (?:stipendio|paga|retribuzione)\b",
        r"\b\d+(?:,\d+)? euro (?:all'ora|l'ora|per cassone|a cassone|al giorno)\b",
        r"\b(?:trattien\w|trattenut\w)\b[^;]{0,30}\b(?:euro|paga|stipendio|vitto|alloggio)\b|\bper vitto e alloggio\b",
    ),
    "excessive_working_hours": (
        r"\b(?:1[0-9]|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen) hours (?:a|per|each|every) day\b",
        r"\bfrom (?:dawn|early morning|\d+ ?a\.?m\.?) (?:until|till|to) (?:late (?:evening|night)|midnight|dusk|night)\b",
        r"\b(?:no|without) (?:a )?(?:days? off|rest days?|day of rest|weekly rest)\b|\bseven days a week\b|\bsundays included\b",
        r"\b(?:dieci|undici|dodici|tredici|quattordici|quindici|1[0-9])(?: o \w+)? ore\b",
        r"\bsenza (?:giorni di riposo|riposo|un giorno libero)\b|\bnessun giorno (?:libero|di riposo)\b|\bdall'alba al tramonto\b",
    ),
    "living_at_workplace": (
        r"\b(?:sleep|sleeps|slept|live|lives|lived|living|housed)\b[^;]{0,30}\b(?:on the farm|in the (?:warehouse|factory|workshop|restaurant|shop|barn|greenhouse|fields?)|at the (?:farm|workplace|factory))\b",
        r"\bbeds were in the (?:same )?(?:warehouse|workshop|factory|shop)\b",
        r"\b(?:dorm\w+|viv\w+)\b[^;]{0,30}\b(?:nel magazzino|in azienda|nel capannone|nei container|nella serra|nel retro|nel laboratorio)\b",
        r"\balloggio (?:fornito|del padrone|del datore)",
    ),
    "gangmaster_transport_to_fields": (
        r"\b(?:caporale|gangmaster|caporalato)\b",
        r"\b(?:drove|drives|drive|takes|took|picks? up|picked up|transports?|transported)\b[^;]{0,60}\b(?:labourers|workers|braccianti|them|us)\b[^;]{0,40}\b(?:fields|greenhouses?|farms?|building sites?|orchards?|plantations?)\b",
        r"\bcharged?\b[^;]{0,40}\b(?:ride|transport|lift|van|minibus)\b",
        r"\b(?:carica|caricava|porta|portava|trasporta|trasportava)\w*\b[^;]{0,40}\b(?:furgone|furgoni|pulmino)\b",
    ),
    "unsafe_working_conditions": (
        r"\bno (?:masks?|gloves|helmets?|protective (?:equipment|clothing))\b|\bwithout (?:masks?|gloves|helmets?|protective equipment|safety equipment)\b",
        r"\bsenza (?:mascherin\w|guanti|casco|protezion\w|dispositivi di protezione)\b|\bniente (?:guanti|casco|mascherin\w)\b",
    ),
    "degrading_living_conditions": (
        r"\b(?:no|without) (?:running |drinking )?(?:water|toilets?|electricity|heating|bathroom|shower)\b|\bsingle toilet for\b|\bshacks?\b",
        r"\bsenza (?:acqua|luce|corrente elettrica|bagni|servizi igienici|riscaldamento)\b|\bbaracc\w|\btendopoli\b|\bcasolare abbandonato\b",
    ),
    "domestic_servitude": (
        r"\b(?:clean|cook|care for|look after|household|housework|chores)\b[^;]{0,60}\b(?:from (?:early )?morning (?:until|till|to) (?:midnight|night|late)|day and night|all day)\b",
        r"\bsle(?:ep|pt|eps) (?:on a mat|on the floor|in the (?:kitchen|laundry(?: room)?|corridor|storeroom|baby's room))",
        r"\bdorm\w+ (?:in cucina|per terra|sul pavimento|in corridoio|in lavanderia|su un materasso)",
        r"\b(?:pulire|cucinare|accudire)\b[^;]{0,60}\b(?:giorno e notte|dalla mattina alla sera|fino a mezzanotte)\b",
    ),
    "hotel_apartment_rotation": (
        r"\b(?:hotels|apartments|flats)\b[^;]{0,10}\bin \S+ and \S+",
        r"\bfrom (?:hotel|flat|apartment) to (?:hotel|flat|apartment)\b|\b(?:a )?different (?:apartment|hotel|flat) every\b",
        r"\b(?:alberghi|hotel|appartamenti|b&b)\b[^;]{0,30}\b(?:divers\w|ogni settimana|diverse città)\b",
    ),
    "advertised_online_sexual_services": (
        r"\b(?:escort|massage) (?:ads?|adverts?|site|website)\b|\bposts? (?:her|his|the) (?:ads?|adverts?)\b",
        r"\bannunci\w* (?:erotic\w|a luci rosse|escort|di incontri)\b",
    ),
    "quota_of_clients": (
        r"\b(?:must|has to|had to|have to)\b[^;]{0,30}\b(?:bring|earn|make)\b[^;]{0,20}\b(?:\d+|at least)\b",
        r"\b(?:\d+|five|ten|twenty) clients (?:a|per|every) (?:day|night)\b",
        r"\bif (?:she|he|they|i) (?:does|do|did)(?:n't| not) (?:bring|earn|make)\b[^;]{0,30}\b(?:\d+|enough)\b",
        r"\bse non porta\w* (?:almeno )?\d+|\bdeve (?:portare|guadagnare|fare) (?:almeno )?\d+|\b\d+ clienti (?:a|al|per|ogni) (?:notte|giorno|sera)\b",
    ),
    "madam_controller": (r"\b(?:madam|madame|maman|pimp|protettore|sfruttatore|sfruttatrice)\b",),
    "unaccompanied_with_unrelated_adult": (
        r"\b(?:claims?|claimed|says?|said) to be (?:the|his|her) (?:boy's |girl's |child's )?(?:uncle|aunt|cousin|brother|sister|relative|guardian|father|mother)\b",
        r"\b(?:could not|cannot|can't|did not|didn't) (?:give|say|tell|state)\b[^;]{0,30}\b(?:date of birth|birthday)\b",
        r"\bno (?:document|papers|proof)\b[^;]{0,40}\b(?:guardian\w*|custody)\b",
        r"\b(?:dice|sostiene|afferma) di essere (?:lo |la |il )?(?:zio|zia|cugino|cugina|fratello|sorella|tutore|parente)\b",
        r"\bnon (?:sa|conosce) (?:la data di nascita|quando è nat\w)",
    ),
    "child_out_of_school": (
        r"\b(?:not|never) (?:been )?(?:enrolled|registered) (?:in|at) (?:any |a )?school\b",
        r"\b(?:never|not) (?:been to|attended|attending|going to|gone to) school\b|\bstopped (?:going to|attending) school\b|\bout of school\b",
        r"\bnon (?:è |era )?(?:mai )?(?:andat\w|iscritt\w|frequent\w+)\b[^;]{0,15}\bscuola\b|\babbandono scolastico\b|\bdispersione scolastica\b",
    ),
    "child_working": (
        rf"\b{_CHILD}\b[^;]{{0,40}}\b(?:works?|working|worked|employed)\b[^;]{{0,30}}\b(?:car wash|market|building site|construction|restaurant|factory|fields?|farm|kitchen)\b",
        rf"\b{_CHILD}\b[^;]{{0,40}}\b(?:lavora|lavorava|impiegat\w)\b[^;]{{0,30}}\b(?:autolavaggio|mercato|cantiere|ristorante|fabbrica|campi)\b",
    ),
    "age_inconsistency_no_documents": (
        r"\b(?:looks?|looked|appears?|appeared) (?:much )?(?:younger|about \d+|like a child|to be a minor|under ?age)\b",
        r"\b(?:declared|says|said|claimed|claims) (?:herself|himself) (?:to be )?(?:an adult|18|19|of age)\b|\btold to (?:say|declare)\b[^;]{0,20}\b(?:adult|18|19)\b",
        r"\bno birth certificate\b",
        r"\bdichiarat\w+ maggiorenne\b|\bdire che è maggiorenne\b|\bdimostra \d+ anni\b|\bsembra (?:minorenne|più giovane)\b|\bnon sa quanti anni\b",
    ),
    "child_begging": (
        rf"\b{_CHILD}\b[^;]{{0,100}}\b(?:beg|begs|begging|asking (?:passers-by|people|drivers|tourists) for money|asks (?:passers-by|people|drivers) for money)\b",
        rf"\b{_CHILD}\b[^;]{{0,60}}\b(?:elemosina|accattonaggio|chiede soldi|chiedere soldi)\b",
    ),
    "adult_forced_begging": (
        r"\b(?:man|woman|adult|elderly|disabled|wheelchair|amputee)\b[^;]{0,80}\b(?:to beg|begging|alms)\b",
        r"\b(?:placed|dropped|left|brought|taken)\b[^;]{0,40}\b(?:to beg|outside the church|in front of the church|at the station)\b",
        r"\b(?:accompagnat\w|lasciat\w|portat\w|mess\w)\b[^;]{0,50}\b(?:davanti alla chiesa|in stazione|al semaforo|a chiedere l'elemosina)\b",
        r"\b(?:elemosina|accattonaggio)\b",
    ),
    "child_forced_criminality": (
        r"\b(?:pickpocket\w*|shoplift\w*|stealing|stole|thefts?)\b",
        r"\b(?:borseggi\w*|furt[oi]|rubare|taccheggio)\b",
    ),
    "child_drug_dealing_courier": (
        r"\b(?:sell\w*|sold|deal\w*|deliver\w*|carr\w+|supply\w*)\b[^;]{0,30}\b(?:drugs|hashish|cocaine|heroin|crack|packages?)\b",
        r"\b(?:ced\w+|vend\w+|spacci\w+|consegn\w+|fornisc\w+)\b[^;]{0,30}\b(?:hashish|droga|cocaina|eroina|stupefacent\w|dosi|pacchi|pacco)\b|\bspaccio\b",
    ),
    "adult_forced_criminality": (
        r"\bcannabis (?:plants|farm|factory|grow\w*)\b|\bgrow[- ]?house\b|\b(?:tend|tending|water|watering|look after|looking after) (?:the )?plants\b",
        r"\bopen (?:bank )?accounts in (?:his|her|my) name\b|\b(?:made|forced) (?:him|her|them|me) to steal\b",
        r"\bpiante di (?:cannabis|marijuana)\b|\bcoltivazione di (?:cannabis|marijuana)\b|\bconti (?:correnti )?a (?:suo|mio|loro) nome\b",
    ),
    "child_commercial_sex": (
        r"\b(?:men|clients?|customers)\b[^;]{0,40}\b(?:paid|pay|pays)\b[^;]{0,40}\b(?:sex|to have sex)\b",
        r"\b(?:prostitut\w+|sex work|commercial sex|street prostitution)\b|\b(?:with|from) (?:the )?clients\b",
        r"\bprostitu\w+|\bcon i clienti\b|\bdai clienti\b|\bmarciapiede\b",
    ),
    "child_sexual_abuse_material_production": (
        r"\b(?:filmed|photographed|livestream\w*|recorded)\b[^;]{0,40}\b(?:sex|naked|undress\w*|clients|abuse)\b",
        r"\b(?:sexual|intimate|nude|naked) (?:images|photos|photographs|pictures|videos)\b|\bnudes\b",
        r"\b(?:foto|video|immagini) (?:intim\w|sessuali|nud\w)\b|\bmateriale pedopornografico\b",
    ),
    "online_grooming_loverboy": (
        r"\b(?:met|contacted|approached)\b[^;]{0,40}\b(?:online|on (?:instagram|tiktok|snapchat|facebook|social media)|(?:through|via|on) (?:a|an) (?:gaming )?(?:app|chat))\b",
        r"\bloverboy\b|\bkeep (?:the relationship|it|him) (?:a )?secret\b|\bpersuaded (?:her|him) to keep\b",
        r"\b(?:conosciut\w|contattat\w|adescat\w)\b[^;]{0,30}\b(?:online|su (?:instagram|tiktok|snapchat|facebook|un'app|una chat))\b",
        r"\bnon dirlo ai (?:suoi|miei) genitori\b|\btenere segret\w\b",
    ),
    "sextortion_coerced_images": (
        r"\b(?:threaten\w*|warned|would|will)\b[^;]{0,40}\b(?:share|send|post|publish|show|spread)\b[^;]{0,30}\b(?:them|photos|pictures|images|videos)\b",
        r"\bblackmail\w*\b|\bsextortion\b",
        r"\bricatt\w+\b|\bminacci\w+ di (?:pubblicare|mandare|diffondere)\b",
    ),
    "online_job_ad_recruitment": (
        r"\b(?:job|work|modelling|offer|advert\w*)\b[^;]{0,40}\b(?:facebook|telegram|whatsapp|instagram|tiktok|social media)\b",
        r"\b(?:lavoro|offerta|annuncio)\b[^;]{0,40}\b(?:facebook|telegram|whatsapp|instagram|tiktok|social)\b",
    ),
    "controlled_online_accounts": (
        r"\b(?:kept|has|had|knows|holds|took)\b[^;]{0,10}\b(?:the )?passwords?\b",
        r"\b(?:checked|checks|reads|read|monitor\w*|controls?|controlled|tracks?|tracked)\b[^;]{0,20}\b(?:her|his|their|my) (?:chats|messages|phone|accounts?|location)\b",
        r"\b(?:password|credenziali)\b|\b(?:controlla|legge|leggeva|controllava)\b[^;]{0,20}\b(?:messaggi|chat|telefono|cellulare|account)\b",
    ),
    "forced_marriage_minor": (
        r"\b(?:married|promised|engaged|given) (?:off )?(?:in marriage )?to (?:a|an|his|her|the) (?:man|cousin|older|husband)\b|\bforced (?:to marry|marriage)\b|\bchild (?:bride|marriage)\b",
        r"\bpromessa in sposa\b|\bpromessa sposa\b|\bmatrimonio (?:forzato|combinato)\b|\bcostrett\w+ a sposar\w+\b|\bnozze\b|\bsposa bambina\b",
    ),
    "bride_price": (
        r"\b(?:bride price|dowry)\b",
        r"\b(?:husband|groom)\b[^;]{0,40}\b(?:paid|gave)\b[^;]{0,30}\b(?:money|sum|euros?|dollars?|cattle)\b",
        r"\b(?:dote|prezzo della sposa)\b|\b(?:marito|sposo)\b[^;]{0,40}\b(?:versat\w|pagat\w|dat\w)\b[^;]{0,30}\b(?:denaro|soldi|somma|euro)\b",
    ),
    "illegal_adoption_sale_of_child": (
        r"\b(?:baby|newborn|infant)\b[^;]{0,60}\b(?:handed (?:over )?to|given to|sold to|registered as (?:their|his|her) own)\b",
        r"\bwithout (?:any |a )?(?:court )?adoption\b",
        r"\b(?:neonat\w|bambin\w)\b[^;]{0,60}\b(?:consegnat\w|cedut\w|vendut\w) (?:a|alla|ad)\b",
        r"\bsenza (?:alcun\w? )?(?:procedimento|procedura) di adozione\b|\briconosciut\w\b[^;]{0,40}\bcome figlio (?:proprio|loro)\b",
    ),
    "surrogacy_exploitation": (r"\bsurrog\w+\b|\butero in affitto\b|\bmaternità surrogata\b",),
    "organ_removal": (
        r"\b(?:kidney|liver|organ|cornea)s?\b[^;]{0,40}\b(?:removed|sold|sell|selling|harvest\w*)\b",
        r"\b(?:sell\w*|sold|remov\w+|harvest\w*)\b[^;]{0,20}\b(?:a |his |her |my )?(?:kidney|organ|liver)\b",
        r"\b(?:rene|organo|organi|fegato)\b[^;]{0,30}\b(?:espiantat\w|rimoss\w|tolt\w|vendut\w|vendere|asportat\w)\b",
        r"\b(?:vendere|vendut\w|tolto|espianto)\b[^;]{0,20}\b(?:un |il )?(?:rene|organo)\b",
    ),
    "no_access_to_healthcare": (
        r"\b(?:without|no|never received|denied) (?:any )?(?:follow-up |medical )?(?:care|treatment|doctor|hospital)\b",
        r"\bnot (?:allowed|taken|let) (?:to )?(?:see|go to) (?:a |the )?(?:doctor|hospital)\b",
        r"\b(?:became|was|got) infected\b|\buntreated\b",
        r"\bsenza (?:cure|assistenza medica|medico)\b|\binfett\w\b|\bnon (?:è stat\w|l'hanno|lo hanno|la hanno) (?:curat\w|portat\w (?:dal medico|in ospedale))\b",
    ),
    "no_control_over_money_or_bank": (
        r"\b(?:has|holds|kept|keeps|took)\b[^;]{0,20}\b(?:bank card|debit card|pin)\b|\baccount in (?:his|her|my) name\b[^;]{0,40}\b(?:never|controlled)\b",
        r"\b(?:carta bancaria|bancomat|carta prepagata|postepay)\b[^;]{0,30}\b(?:tien\w|ha|gestisc\w)\b|\bconto (?:intestato )?a (?:suo|mio) nome\b",
    ),
}

# Phrasings that show an indicator is absent, in addition to the catalogue's own ``negations``.
ABSENT: dict[str, tuple[str, ...]] = {
    "documents_confiscated": (
        r"\b(?:she|he|i|they|who) (?:still )?(?:kept|keeps|has|have|had|holds|carried|carries) (?:his|her|my|their) (?:own )?(?:passports?|documents|papers|id)\b",
        r"\b(?:passports?|documents|papers)\b[^;]{0,30}\bat (?:his|her|their) home\b|\bce l'ha (?:lei|lui)\b|\bvalid passports?\b",
    ),
    "travel_arranged_by_others": (
        r"\b(?:himself|herself|themselves|by the school|by (?:the|their|his|her) (?:families|family|parents))\b|\bda sol[oa]\b|\bdalla scuola\b",
    ),
    "no_access_to_healthcare": (
        r"\b(?:examined|treated|seen|visited) by (?:a|the|his|her|the company) doctor\b|\bvisitat\w\b",
    ),
    "no_pay_or_wages_withheld": (
        r"\b(?:paid regularly|payslip|busta paga|pagat\w regolarmente|bank transfer|bonifico)\b",
    ),
    "restricted_movement": (
        r"\bfree to (?:leave|go)\b|\bwhenever (?:he|she|they) (?:wants?|likes?)\b|\besce liberamente\b|\bquando vuole\b",
    ),
    "payment_to_third_party": (r"\b(?:no|nessun) (?:payment|pagamento)\b",),
}

# Words showing the sentence is about control or exploitation; a purely semantic match needs one of them.
CONTEXT = re.compile(
    r"\b(?:forc\w+|made (?:her|him|them|me)|had to|has to|must|debt|owe\w*|threat\w*|beat\w*|lock\w*|pimp|madam\w*|"
    r"maman|boss|controll\w+|exploit\w*|traffick\w*|smuggl\w+|confiscat\w+|took|taken|kept|withh\w+|clients?|"
    r"caporal\w*|gangmaster|sponsor|punish\w*|afraid|fear|abus\w+|escap\w+|not allowed|unpaid|slave\w*|servitude|"
    r"costrett\w+|obbligat\w+|deve|doveva|debit\w|minacc\w+|picchi\w+|padrone|capo|sfrutt\w+|tolt\w|sequestr\w+|"
    r"clienti|paura|punit\w+|controll\w+|prostitu\w+|schiav\w+|trattien\w+|non (?:le |gli |ci )?permett\w+)\b"
)

# Sentences describing freedom, legality or absence: weak (keyword or semantic) matches in them do not count.
FREEDOM = re.compile(
    r"\b(?:free to|freely|of (?:his|her|their) own (?:free )?will|voluntarily|regularly|permanent contract|payslip|"
    r"valid (?:passports?|documents|contract)|lawful\w*|consent\w*|nothing irregular|as planned|"
    r"liberamente|regolar\w+|busta paga|tempo indeterminato|volontariamente|consenso|ente autorizzato)\b"
)

STRONG_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    key: tuple(re.compile(pattern) for pattern in patterns) for key, patterns in STRONG.items()
}
ABSENT_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    key: tuple(re.compile(pattern) for pattern in patterns) for key, patterns in ABSENT.items()
}
