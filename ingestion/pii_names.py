"""Word lists behind the person rules: first names, words that are never names, places, titles and cue words."""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Common first names of the communities these case files are about (Italian, Nigerian, Albanian, Romanian, Arabic,
# Eritrean/Ethiopian, West African, Afghan, South Asian, East European). A capitalised word from this list starts a
# person's name; "md"/"mohd" are the usual written abbreviations of Muhammad.
FIRST_NAMES = _words(
    """
    giuseppe giovanni antonio mario luigi francesco marco luca andrea paolo salvatore giorgio roberto stefano
    alessandro davide matteo vincenzo gennaro carmine pietro maria anna giulia francesca chiara sara laura rosa
    giuseppina angela elena silvia paola rosaria carmela valentina federica martina alessia teresa lucia
    grazia benedetta sandro simona
    blessing joy favour precious gift mercy faith grace success lucky destiny peace esther osas osaro osagie efe
    ese osaretin chinedu chioma chiamaka ngozi nnamdi emeka obinna uche adaeze amaka bisi tunde bola sade kelvin
    emmanuel godwin samuel loveth jennifer happiness princess victory glory comfort patience prosper endurance
    eghosa nosakhare osasumwen
    arben ardit besnik elira arta blerta ermira elona fatmir gentian ilir klodian erion dritan artan alban
    klea besa
    mirela andreea ioana florin ionut ionuț ion mihai adrian cristina gabriela alina bogdan marian daniela nicoleta
    florentina mihaela costel radka stoyan ivan ivana olga oksana natalia irina svetlana dmitri sergei
    ahmed mohamed mohammed mohammad muhammad muhammed mahmoud omar youssef karim hassan hussein ali ibrahim fatima
    aisha amina mariam khadija samira yasmin nour bilal hamza mustafa rachid said tarek abdul abdel abdullah
    abdallah md mohd mst rahman rahim
    yonas dawit tesfay mehari medhanie senait semhar selam filmon biniam tesfalem haile mulu abrehet ruth helen
    mamadou moussa ibrahima oumar fatoumata aminata mariama kadiatou sekou abdoulaye
    hamid javid ahmad reza farid wahid
    kwabena kwame kofi kwaku kwasi kwadwo kojo kweku yaw ekow fiifi akua ama abena afua efua esi adwoa adjoa akosua
    yaa afia
    jose josé juan carlos luis jorge miguel pedro pablo javier alejandro diego ana lucía lucia carmen rocío
    dolores pilar mercedes guadalupe joão
    siobhán siobhan aoife niamh saoirse caoimhe róisín sinéad aisling seán sean ciarán eoin cian oisín
    """
)

# Words that may open or follow a first name without being a name: "Abdul Karim", "Md. Rakibul". A name run that
# starts with one of them keeps it.
NAME_PREFIXES = _words("abdul abdel abd abu umm md mohd muhd mst sk sheikh")

# Words that are capitalised in legal prose, forms and letters but never part of a person's name here.
NON_NAME_WORDS = _words(
    """
    others article articles art articolo protocol protocols convention conventions state states party parties member
    members court courts tribunal tribunale corte committee council secretary general assembly nations united
    europe european union republic repubblica government ministry minister ministers police polizia chapter
    section sezione paragraph annex preamble directive direttiva legge law laws code codice decree decreto office
    ufficio procura questura prefettura comune regione provincia agency commission commissione parliament group
    greta experts action trafficking human beings rights children child persons women victims victim
    secretariat protection assistance cooperation treaty trattato justice giustizia prosecutor procuratore judge
    giudice carabinieri guardia finanza squadra mobile comando provinciale nucleo street via piazza corso hotel
    bank banca banque tribunal signature ratification accession entry force declaration reservation amendment
    amendments denunciation notification depositary witness whereof done conference nations organization
    organisation federal national international internazionale nazionale public pubblico ministero
    monday tuesday wednesday thursday friday saturday sunday lunedì martedì mercoledì giovedì venerdì sabato
    domenica january february march april may june july august september october november december gennaio
    febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    whatsapp instagram facebook telegram tiktok viber messenger western union moneygram ria postepay
    fiat panda opel corsa audi mercedes toyota ford volkswagen bmw renault peugeot
    the this that these those and or of in on at for with by from to an a il lo la le gli un una uno del della
    dei degli delle per con nel nella che non di da e ed sim
    recommendation recommendations rec resolution resolutions preamble recognizing recognising considering
    prevent suppress punish combat noting recalling affirming reaffirming desiring convinced concerned bearing
    mindful emphasizing stressing
    casa centro center centre comunità community associazione association cooperativa fondazione foundation
    rifugio shelter helpline hotline progetto project bar ristorante restaurant hotel farm azienda company
    italian nigerian albanian romanian libyan eritrean tunisian moroccan senegalese afghan ivorian ghanaian
    french german spanish greek turkish egyptian sudanese somali ethiopian gambian guinean malian
    bulgarian dutch british pakistani bangladeshi chinese vietnamese indian ukrainian
    italiano italiana nigeriano nigeriana albanese romeno romena libico libica eritreo eritrea tunisino tunisina
    marocchino marocchina senegalese ivoriano ivoriana bulgaro bulgara pakistano pakistana
    english bengali bangla arabic tigrinya amharic pidgin urdu punjabi mandarin cantonese farsi dari pashto
    igbo yoruba hausa wolof
    msna cui nrm pec cas sprar sai cpa cara ngo ong jit
    presidente president questore prefetto sindaco dirigente commissario ispettore magistrato cancelliere
    gentile egregio egregia spettabile spett dear caro cara
    luogo data nascita firma registro persona offesa oggetto cittadinanza nazionalità sesso residenza domicilio
    recapito documenti note allegato verbale numero verde antitratta subject date signed
    san santa santo sant santi saint suor suora frate fam pc dc ds sgt insp
    piana borgo lago monte porto villaggio località contrada frazione castel castello isola valle lido parco
    bosco torre golfo
    none nessuno unknown sconosciuto not yes
    appellant appellants respondent respondents claimant claimants applicant applicants appellante appellato
    ricorrente resistente sent sentenza ordinanza trascrizione rit rgnr ewca ewhc uksc crim civ region
    """
)

# Countries, regions and cities on the routes and in the destination countries: kept for route analysis, never taken
# for a name.
PLACES = _words(
    """
    nigeria benin edo lagos abuja uromi onitsha enugu delta ghana accra niger agadez mali bamako senegal dakar
    guinea conakry gambia ivory coast abidjan cameroon eritrea asmara ethiopia addis ababa sudan khartoum somalia
    libya tripoli sabha sebha zuwara zawiya bani walid tunisia tunis sfax morocco algeria egypt cairo
    afghanistan herat kabul pakistan iran turkey istanbul greece athens evros lesbos albania tirana durres
    shkoder shkodër vlore kosovo serbia romania bucharest craiova constanta constanța bulgaria moldova ukraine
    italy italia sicily sicilia palermo catania messina agrigento pozzallo lampedusa rome roma milan milano turin
    torino naples napoli bari caserta foggia castel volturno venice venezia genoa genova florence firenze bologna
    spain madrid barcelona france paris lyon marseille marsiglia germany berlin dortmund munich vienna austria
    netherlands amsterdam belgium brussels london dover kent ashford england scotland warsaw strasbourg
    rotterdam hague haag utrecht eindhoven delft sofia plovdiv varna iasi iași manchester birmingham luton leeds
    liverpool glasgow hamburg frankfurt cologne köln bangladesh dhaka sylhet lahore karachi islamabad
    gujranwala vietnam hanoi china beijing wenzhou fujian ragusa siracusa trapani crotone taranto brindisi lecce
    salerno cagliari ventimiglia padova verona brescia bergamo modena parma ancona pescara latina
    """
)

# Words that open a town's name ("Piana degli Albanesi", "Castel Volturno", "Porto Empedocle").
PLACE_PREFIXES = _words("piana lago monte porto castel castello isola valle lido bosco torre golfo borgo")

# Words that open a nickname and belong to it ("Mama Joy", "Brother Kelly", "Lao Zhou", "Nonna Rina").
NICKNAME_PREFIXES = _words(
    "mama mamma madam maman mummy aunty auntie zia baba kaka brother oga lao xiao nonna nonno granny"
)

# Weekday names that are also given names in West Africa ("Friday", "Sunday"): a name only when they continue one.
DAY_NAMES = _words("monday tuesday wednesday thursday friday saturday sunday")

# Cue phrases after which the next capitalised run is a person (matched case-insensitively, at the end of the text
# before the run, optionally followed by "older"/"maggiore", punctuation or an opening bracket).
ROLE_CUES = (
    # English roles and kinship.
    r"mr|mrs|ms|miss|dr|my name is|her name is|his name is|name is|maiden name is|last name\?|first name\?|"
    r"surname\?|mi chiamo|si chiama|je m'appelle|il s'appelle|elle s'appelle|me llamo|se llama|ich heiße|"
    r"heißt|nazywam się|mă numesc|quem é|"
    r"the victim|the minor|the defendant|the accused|the suspect|the witness|the girl|the boy|"
    r"the interviewee|the applicant|the complainant|the appellant|suspect:|defendant:|victim:|name:|"
    r"brother|sister|cousin|uncle|aunt|mother|father|wife|husband|son|daughter|partner|boyfriend|girlfriend|"
    r"friend|colleague|co-worker|coworker|roommate|flatmate|housemate|named|called|known as|alias|a\.k\.a\.|"
    # Initials and names defined for the rest of a judgment, maiden names, who wrote or conducted a record.
    r"hereinafter|hereafter|refer to as|refer as|referred to as|née|nee|geb\.|"
    r"interview by|interviewed by|conducted by|prepared by|signed by|assessed by|"
    r"beneficiary|sender|receiver|account holder|in favour of|c/o|care of|family|"
    r"pc|sgt|insp|rev|pastor|imam|"
    # People in the trafficking chain, in the languages of the routes.
    r"dalal|smuggler|trafficker|recruiter|driver|boss|sponsor|passeur|caporale|trafficante|sfruttatore|"
    r"reclutatore|autista|"
    # Italian titles, roles and kinship.
    r"sig|sig\.ra|sig\.na|signor|signora|signorina|dott|dott\.ssa|avv|prof|ing|suor|suora|frate|don|"
    r"la minore|il minore|l'imputat[oa]|la vittima|la persona offesa|il ricorrente|la ricorrente|l'indagat[oa]|"
    r"la ragazza|il ragazzo|la collaboratrice|il collaboratore|la convivente|il convivente|il conducente|"
    r"la connazionale|il connazionale|fratello|sorella|cugin[oa]|zio|zia|madre|padre|moglie|marito|figli[oa]|"
    r"compagn[oa]|fidanzat[oa]|amic[oa]|collega|di nome|chiamat[oa]|dett[oa]|nei confronti di|in uso a|"
    r"intestat[oa] a|intestatari[oa]|beneficiari[oa]|ordinante|a favore di|fam|famiglia|"
    r"in concorso con|chiamavano|chiamano|chiamava|noto come|nota come|conosciut[oa] come|d'ora in poi|"
    r"di seguito|redatto da|condotta da|firmato da|"
    r"cognome e nome:|nome e cognome:|nominativo:"
)

# Roles whose holder is named in apposition, after a comma or colon ("Her Guardian, Nadia Haddad, will call").
APPOSITION_CUES = (
    r"guardian|social worker|caseworker|case worker|key worker|interpreter|tutore|tutrice|interprete|"
    r"assistente sociale|mediatore|mediatrice"
)

# Words that make a form label ("Guardian:", "Operatrici:", "Case against:") announce a person's name.
PERSON_LABEL_WORDS = _words(
    """
    guardian tutor tutore tutrice holder titolare intestatario intestataria against defendant accused suspect
    imputato imputata indagato indagata victim vittima minor minore child operator operators operatore
    operatrice operatori operatrici referente contact contatto interpreter interprete mediator mediatore
    mediatrice driver autista conducente passenger passengers passeggero passeggera guest ospite check-in
    client cliente brother sister fratello sorella mother father madre padre parent genitore uncle aunt zio zia
    cousin cugino cugina husband wife marito moglie partner signed signature firma sottoscritto witness
    testimone complainant denunciante name nome cognome nominativo applicant richiedente beneficiary
    beneficiario beneficiaria sender receiver ordinante owner proprietario tenant employer datore worker
    lavoratore counsel lawyer avvocato difensore judge giudice magistrate educatore educatrice psychologist
    psicologo psicologa officer agente ispettore relatore referred reported prepared compiled redatto
    """
)

# Words after which a lower-case word in a chat message is a name ("sister rita", "chiama sandro", "con klea").
CHAT_CUES = _words(
    """
    sister brother sis bro aunty auntie uncle mama madam cousin tell ask call
    zia zio sorella fratello cugina cugino amica amico chiama chiamare senti con
    """
)

# Chat shorthand that follows those cues without being a name.
CHAT_WORDS = _words(
    """
    u ur ya yu pls plz abeg dey don na wey sef oo ok okay ma sir bro sis man guy girl girls boys road money
    tomorrow today tonight now later soon lei lui loro noi voi tutti subito dopo domani stasera oggi soldi
    macchina calma
    """
)
