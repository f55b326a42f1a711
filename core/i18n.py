"""Every user-facing string in English and Italian, in one table, and the function that translates a key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["en", "it"]
LANGUAGES: dict[str, str] = {"en": "English", "it": "Italiano"}

# key -> (English, Italian). Placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    # shell, navigation
    "app_title": ("SafeBorders Assistant", "SafeBorders Assistant"),
    "language": ("Language", "Lingua"),
    "page_chat": ("Ask the knowledge base", "Interroga la base di conoscenza"),
    "page_about": ("About", "Informazioni"),
    "page_account": ("My account", "Il mio account"),
    "page_case_analysis": ("Case analysis", "Analisi del caso"),
    "page_patterns": ("Patterns in case law", "Ricorrenze nella giurisprudenza"),
    "page_networks": ("Networks across cases", "Reti tra i casi"),
    "page_kb": ("Knowledge base", "Base di conoscenza"),
    "page_feedback": ("Feedback", "Valutazioni"),
    "page_users": ("Users", "Utenti"),
    "signed_in_as": ("Signed in as **{user}** ({role})", "Accesso come **{user}** ({role})"),
    "sign_out": ("Sign out", "Esci"),
    "role_judge": ("judge / prosecutor", "giudice / pubblico ministero"),
    "role_frontline": ("frontline worker", "operatore sul campo"),
    "role_editor": ("editor", "redattore"),
    "role_admin": ("administrator", "amministratore"),
    "not_allowed": (
        "Your account cannot open this page. Choose a page from the menu.",
        "Il tuo account non può aprire questa pagina. Scegli una pagina dal menu.",
    ),
    "config_error": (
        "The settings could not be read: {error}. Fix the settings file and restart the app.",
        "Impossibile leggere le impostazioni: {error}. Correggi il file di impostazioni e riavvia l'app.",
    ),
    "page_failed": (
        "This page met an unexpected error ({error}). Try again; if it keeps happening, tell the administrator.",
        "Questa pagina ha incontrato un errore imprevisto ({error}). Riprova; se si ripete, avvisa l'amministratore.",
    ),
    # sign-in and first start
    "sign_in_title": ("Sign in", "Accedi"),
    "username": ("Username", "Nome utente"),
    "password": ("Password", "Password"),
    "password_again": ("Password (again)", "Password (di nuovo)"),
    "sign_in": ("Sign in", "Accedi"),
    "bad_credentials": ("Wrong username or password.", "Nome utente o password errati."),
    "oidc_sign_in": ("Sign in with {label}", "Accedi con {label}"),
    "oidc_no_role": (
        "{user} is signed in at the identity provider, but no SafeBorders role is given to this account: ask the "
        "administrator to map one of its groups to a role (app.oidc.roles).",
        "{user} ha effettuato l'accesso presso il fornitore di identità, ma a questo account non è assegnato alcun "
        "ruolo SafeBorders: chiedi all'amministratore di associare uno dei suoi gruppi a un ruolo (app.oidc.roles).",
    ),
    "account_disabled": (
        "The account {user} is disabled: ask the administrator.",
        "L'account {user} è disattivato: rivolgiti all'amministratore.",
    ),
    "locked_out": (
        "Too many failed attempts. Wait {seconds} seconds and try again.",
        "Troppi tentativi falliti. Attendi {seconds} secondi e riprova.",
    ),
    "session_expired": (
        "Your session expired after a period of inactivity. Sign in again.",
        "La sessione è scaduta per inattività. Accedi di nuovo.",
    ),
    "session_ended": (
        "Your session was ended: signed out elsewhere, password changed or account disabled. Sign in again.",
        "La sessione è stata chiusa: uscita da un'altra finestra, password cambiata o account disattivato. "
        "Accedi di nuovo.",
    ),
    "setup_title": ("Create the administrator account", "Crea l'account amministratore"),
    "setup_intro": (
        "No account exists yet. Choose the administrator's username and a password of at least {min} characters "
        "that is hard to guess. This screen appears only once.",
        "Non esiste ancora alcun account. Scegli il nome utente dell'amministratore e una password di almeno {min} "
        "caratteri difficile da indovinare. Questa schermata compare una sola volta.",
    ),
    "setup_token": ("Setup token", "Codice di configurazione"),
    "setup_token_needed": (
        "You are not on the server itself: enter the one-time setup token printed in the server log.",
        "Non sei sul server stesso: inserisci il codice di configurazione monouso stampato nel log del server.",
    ),
    "setup_token_wrong": (
        "Wrong or missing setup token: copy it from the server log (restart the server for a new one).",
        "Codice di configurazione errato o mancante: copialo dal log del server (riavvia il server per averne uno "
        "nuovo).",
    ),
    "create_account": ("Create account", "Crea account"),
    "passwords_differ": ("The two passwords differ.", "Le due password non coincidono."),
    "setup_done": ("An account already exists. Sign in.", "Esiste già un account. Accedi."),
    "password_short": (
        "The password must have at least {min} characters.",
        "La password deve avere almeno {min} caratteri.",
    ),
    "password_long": ("The password must be at most {max} bytes.", "La password deve essere al massimo di {max} byte."),
    "change_password": ("Change my password", "Cambia la mia password"),
    "current_password": ("Current password", "Password attuale"),
    "password_changed": ("Your password was changed.", "La tua password è stata cambiata."),
    "wrong_current_password": ("The current password is wrong.", "La password attuale è errata."),
    "password_has_username": (
        "The password must not contain the username.",
        "La password non deve contenere il nome utente.",
    ),
    "password_repeated": (
        "The password is too easy to guess: it repeats characters or words.",
        "La password è troppo facile da indovinare: ripete caratteri o parole.",
    ),
    "password_sequence": (
        "The password is too easy to guess: it is a simple sequence.",
        "La password è troppo facile da indovinare: è una semplice sequenza.",
    ),
    "password_keyboard": (
        "The password is too easy to guess: it follows the keyboard.",
        "La password è troppo facile da indovinare: segue la tastiera.",
    ),
    "password_date": (
        "The password is too easy to guess: it is mostly a date.",
        "La password è troppo facile da indovinare: è per lo più una data.",
    ),
    "password_common": (
        "The password is too easy to guess: it is a common password or word. Try a few unrelated words.",
        "La password è troppo facile da indovinare: è una password o una parola comune. Prova alcune parole "
        "scollegate tra loro.",
    ),
    "bad_username": (
        "Usernames have 2-64 characters: letters, digits, '.', '-' or '_' (no spaces).",
        "I nomi utente hanno 2-64 caratteri: lettere, cifre, '.', '-' o '_' (senza spazi).",
    ),
    "bad_role": ("Unknown role.", "Ruolo sconosciuto."),
    "user_exists": ("User {user} already exists.", "L'utente {user} esiste già."),
    "unknown_user": ("No user named {user}.", "Nessun utente di nome {user}."),
    # upload checks
    "upload_bad_type": (
        "{name}: unsupported file type (allowed: {allowed}).",
        "{name}: tipo di file non supportato (ammessi: {allowed}).",
    ),
    "upload_empty": ("{name}: the file is empty.", "{name}: il file è vuoto."),
    "upload_legislation_personal": (
        "{name}: filed as legislation, which is indexed unscrubbed, but it contains personal data ({found}); "
        "choose the handbook or case-law collection.",
        "{name}: classificato come normativa, che viene indicizzata senza anonimizzazione, ma contiene dati "
        "personali ({found}); scegli la raccolta manuali o giurisprudenza.",
    ),
    "upload_too_large": (
        "{name}: {size} MB, over the {max:g} MB limit.",
        "{name}: {size} MB, oltre il limite di {max:g} MB.",
    ),
    "upload_not_pdf": ("{name}: not a PDF file (no PDF header).", "{name}: non è un file PDF (intestazione mancante)."),
    "upload_not_docx": ("{name}: not a Word .docx file.", "{name}: non è un file Word .docx."),
    "upload_binary": ("{name}: binary content, not text.", "{name}: contenuto binario, non testo."),
    "upload_unreadable": ("The document cannot be read: {reason}", "Impossibile leggere il documento: {reason}"),
    "upload_no_name": ("{name}: no free file name left.", "{name}: nessun nome di file libero."),
    "upload_outside": ("{name}: not an uploaded document.", "{name}: non è un documento caricato."),
    # chat
    "chat_title": ("Ask the knowledge base", "Interroga la base di conoscenza"),
    "chat_caption": (
        "Answers are generated from the documents in the knowledge base and checked against them. "
        "They support, and never replace, your professional judgement.",
        "Le risposte sono generate dai documenti della base di conoscenza e verificate su di essi. "
        "Supportano, e non sostituiscono mai, il tuo giudizio professionale.",
    ),
    "chat_placeholder": (
        "Ask a question about law, case law or procedures…",
        "Fai una domanda su norme, giurisprudenza o procedure…",
    ),
    "new_conversation": ("New conversation", "Nuova conversazione"),
    "answer_style": ("Answer style", "Stile della risposta"),
    "style_judge": ("Legal (judges, prosecutors)", "Giuridico (giudici, PM)"),
    "style_frontline": ("Practical (frontline workers)", "Pratico (operatori)"),
    "filter_types": ("Document types", "Tipi di documento"),
    "filter_jurisdictions": ("Jurisdictions", "Giurisdizioni"),
    "filters_hint": ("Empty = search everything.", "Vuoto = cerca ovunque."),
    "searching": ("Searching the knowledge base…", "Ricerca nella base di conoscenza…"),
    "drafting": ("Writing a draft answer…", "Stesura di una bozza di risposta…"),
    "drafting_from": (
        "Writing a draft answer from these sources (the local model may take a while):",
        "Stesura di una bozza da queste fonti (il modello locale può richiedere un po' di tempo):",
    ),
    "checked_status": ("Answer checked against {n} sources", "Risposta verificata su {n} fonti"),
    "failed_status": ("The question could not be answered", "Impossibile rispondere alla domanda"),
    "generated_label": (
        "Generated answer — each sentence is supported by the quoted source",
        "Risposta generata — ogni frase è supportata dalla fonte citata",
    ),
    "extractive_label": (
        "Quotation: no generated sentence could be verified, so the relevant passages are quoted as written.",
        "Citazione: nessuna frase generata è risultata verificabile, i passaggi pertinenti sono riportati "
        "testualmente.",
    ),
    "not_covered": ("Not covered by the knowledge base", "Non coperto dalla base di conoscenza"),
    "nearest_sources": ("Nearest sources found", "Fonti più vicine trovate"),
    "removed_sentences": (
        "{n} sentence(s) removed: not supported by the sources",
        "{n} frase/i rimossa/e: non supportata/e dalle fonti",
    ),
    "sources": ("Sources", "Fonti"),
    "source_text": ("Source text", "Testo della fonte"),
    "section": ("Section", "Sezione"),
    "page": ("page", "pagina"),
    "doc_legislation": ("legislation", "normativa"),
    "doc_handbook": ("handbook", "manuale"),
    "doc_case_law": ("case law", "giurisprudenza"),
    "doc_unknown": ("document", "documento"),
    "feedback_prompt": ("Was this answer useful?", "Questa risposta è stata utile?"),
    "feedback_comment": ("Comment (optional)", "Commento (facoltativo)"),
    "feedback_send": ("Send feedback", "Invia valutazione"),
    "feedback_saved": ("Thank you — feedback saved.", "Grazie — valutazione salvata."),
    "export": ("Export as Markdown", "Esporta in Markdown"),
    "you": ("Question", "Domanda"),
    "model_line": ("Model {model} · index {generation}", "Modello {model} · indice {generation}"),
    "answer_interrupted": ("the answer was interrupted; ask again", "la risposta è stata interrotta; chiedi di nuovo"),
    "question_empty": ("the question is empty — type a question", "la domanda è vuota — scrivi una domanda"),
    "question_no_words": (
        "the question has no words, only signs — type a question",
        "la domanda non contiene parole, solo segni — scrivi una domanda",
    ),
    "question_too_long": (
        "question is {length} characters; the limit is {limit} — shorten it or paste the case file on the Case "
        "analysis page",
        "la domanda è di {length} caratteri; il limite è {limit} — accorciala o incolla il fascicolo nella pagina "
        "Analisi del caso",
    ),
    "found_sources": ("{n} sources found", "{n} fonti trovate"),
    "stop": ("Stop", "Interrompi"),
    "stopped_label": (
        "Stopped: only the sentences written and checked before the stop are kept.",
        "Interrotta: sono mantenute solo le frasi scritte e verificate prima dell'interruzione.",
    ),
    "history": ("Earlier conversations", "Conversazioni precedenti"),
    "untitled": ("Untitled", "Senza titolo"),
    "conversation_actions": ("This conversation", "Questa conversazione"),
    "conversation_title": ("Title", "Titolo"),
    "rename": ("Rename", "Rinomina"),
    "export_conversation": ("Export the conversation (Markdown)", "Esporta la conversazione (Markdown)"),
    "delete_conversation": ("Delete the conversation", "Elimina la conversazione"),
    "answer_heading": ("Answer", "Risposta"),
    "delete_conversation_ask": (
        'Delete the conversation "{title}" with all its answers? This cannot be undone.',
        'Eliminare la conversazione "{title}" con tutte le sue risposte? Non si può annullare.',
    ),
    "delete_conversation_yes": ("Yes, delete it", "Sì, eliminala"),
    "delete_conversation_cancel": ("Cancel", "Annulla"),
    # the document viewer (opened from a source card)
    "open_document": ("Open", "Apri"),
    "open_document_help": (
        "Open the document at the cited page or section",
        "Apri il documento alla pagina o alla sezione citata",
    ),
    "viewer_title": ("Cited document", "Documento citato"),
    "viewer_page_of": ("Page {page} of {pages}", "Pagina {page} di {pages}"),
    "viewer_previous": ("Previous page", "Pagina precedente"),
    "viewer_next": ("Next page", "Pagina successiva"),
    "viewer_cited_page": ("Back to the cited page {page}", "Torna alla pagina citata {page}"),
    "viewer_page_marked": (
        "The cited passage is marked in yellow.",
        "Il passo citato è evidenziato in giallo.",
    ),
    "viewer_section": (
        "The cited section with the text around it; the cited passage is highlighted.",
        "La sezione citata con il testo che la circonda; il passo citato è evidenziato.",
    ),
    "viewer_no_highlight": (
        "The cited passage could not be located on the page picture, so nothing is marked; it is on this page.",
        "Non è stato possibile individuare il passo citato nell'immagine della pagina, quindi nulla è evidenziato; "
        "il passo è in questa pagina.",
    ),
    "viewer_scrubbed": (
        "Personal data was removed from this document when it was indexed, so its original page is not shown: "
        "this is the indexed text of page {page}.",
        "Da questo documento sono stati rimossi i dati personali durante l'indicizzazione, quindi la pagina "
        "originale non è mostrata: questo è il testo indicizzato della pagina {page}.",
    ),
    "viewer_changed": (
        "The file was changed or removed after it was indexed, so its original page is not shown: this is the "
        "indexed text of page {page}.",
        "Il file è stato modificato o rimosso dopo l'indicizzazione, quindi la pagina originale non è mostrata: "
        "questo è il testo indicizzato della pagina {page}.",
    ),
    "viewer_unreadable": (
        "The PDF page could not be drawn, so this is the indexed text of page {page}.",
        "Non è stato possibile disegnare la pagina del PDF: questo è il testo indicizzato della pagina {page}.",
    ),
    "viewer_not_indexed": (
        "{source} is no longer in the knowledge base: it was removed or renamed after this answer was written.",
        "{source} non è più nella base di conoscenza: è stato rimosso o rinominato dopo questa risposta.",
    ),
    "conversation_not_found": (
        "That conversation does not exist or is not yours; a new one is open.",
        "Quella conversazione non esiste o non è tua; ne è aperta una nuova.",
    ),
    # answers and their notices (written in the question's language by rag/)
    "answer_abstention": (
        "The knowledge base does not cover this question.",
        "La base di conoscenza non copre questa domanda.",
    ),
    "answer_extractive_prefix": (
        "No generated sentence could be verified against the sources; these are quotations from them:",
        "Nessuna frase generata è verificabile sulle fonti; queste sono citazioni testuali dalle fonti:",
    ),
    "notice_nearest": ("Nearest sources: {sources}", "Fonti più vicine: {sources}"),
    "notice_removed": (
        "{n} generated sentence(s) removed: not supported by the sources.",
        "{n} frase/i generata/e rimossa/e: non supportata/e dalle fonti.",
    ),
    "answer_busy_prefix": (
        "The model is busy answering other users; these are quotations from the sources:",
        "Il modello è occupato con le domande di altri utenti; queste sono citazioni testuali dalle fonti:",
    ),
    "notice_model_busy": (
        "Every slot of the model server was taken: the sources are quoted instead. Ask again for a generated answer.",
        "Tutti i posti del server del modello erano occupati: sono citate le fonti. Chiedi di nuovo per una risposta "
        "generata.",
    ),
    "notice_quoted": (
        "The generated draft could not be verified against the sources; quotations are shown instead.",
        "La bozza generata non è verificabile sulle fonti; sono mostrate citazioni testuali.",
    ),
    # the rag command line
    "cli_generated": (
        "Generated answer (each sentence is supported by the quoted source)",
        "Risposta generata (ogni frase è supportata dalla fonte citata)",
    ),
    "cli_quoted": (
        "Quotations from the sources (no generated sentence could be verified)",
        "Citazioni dalle fonti (nessuna frase generata è risultata verificabile)",
    ),
    "cli_abstained": ("Not answered", "Nessuna risposta"),
    "cli_sources": ("Sources:", "Fonti:"),
    # about
    "about_title": ("About SafeBorders Assistant", "Informazioni su SafeBorders Assistant"),
    "about_for": (
        "**What it is for.** SafeBorders Assistant helps judges, prosecutors and frontline workers in Europe "
        "find and read the law, case law and practical guidance on child trafficking. It answers from a "
        "curated knowledge base, shows the passages each statement rests on, and runs entirely on this "
        "machine: no question or document leaves it.",
        "**A cosa serve.** SafeBorders Assistant aiuta giudici, pubblici ministeri e operatori in Europa a "
        "trovare e leggere norme, giurisprudenza e indicazioni pratiche sulla tratta di minori. Risponde da "
        "una base di conoscenza curata, mostra i passaggi su cui si fonda ogni affermazione e funziona "
        "interamente su questa macchina: nessuna domanda o documento esce da qui.",
    ),
    "about_not_for": (
        "**What it is not for.** It is never a substitute for professional judgement. It must not be used to "
        "decide an individual case, to identify a person, or as legal advice to victims. Always check the "
        "quoted sources, and the official texts, before relying on an answer.",
        "**A cosa non serve.** Non sostituisce mai il giudizio professionale. Non deve essere usato per "
        "decidere un caso concreto, per identificare una persona, né come consulenza legale alle vittime. "
        "Verifica sempre le fonti citate, e i testi ufficiali, prima di fare affidamento su una risposta.",
    ),
    "about_privacy": (
        "**Privacy.** Personal data in case law and handbooks is replaced with placeholders before indexing; "
        "questions are scrubbed before they are written to the audit log.",
        "**Riservatezza.** I dati personali in giurisprudenza e manuali sono sostituiti da segnaposto prima "
        "dell'indicizzazione; le domande vengono anonimizzate prima di essere scritte nel registro di audit.",
    ),
    "about_in_use": ("Model and index in use", "Modello e indice in uso"),
    "about_model": ("Language model", "Modello linguistico"),
    "about_embedder": ("Embedding model", "Modello di embedding"),
    "about_generation": ("Index built", "Indice creato"),
    "about_documents": ("Documents", "Documenti"),
    "about_chunks": ("Passages", "Passaggi"),
    # knowledge base
    "kb_title": ("Knowledge base", "Base di conoscenza"),
    "kb_upload": ("Add a document", "Aggiungi un documento"),
    "kb_collection": ("Collection", "Raccolta"),
    "kb_choose_collection": (
        "Choose the collection first: legislation is indexed without scrubbing.",
        "Scegli prima la raccolta: la normativa viene indicizzata senza anonimizzazione.",
    ),
    "kb_choose_collection_short": ("Choose a collection", "Scegli una raccolta"),
    "kb_file": ("Document (PDF, Word, Markdown, text, HTML)", "Documento (PDF, Word, Markdown, testo, HTML)"),
    "kb_title_field": ("Title", "Titolo"),
    "kb_jurisdiction": ("Jurisdiction (e.g. IT, EU, ECHR)", "Giurisdizione (es. IT, EU, ECHR)"),
    "kb_doc_language": ("Document language", "Lingua del documento"),
    "kb_date": ("Date (YYYY-MM-DD)", "Data (AAAA-MM-GG)"),
    "kb_meta_note": (
        "PDF, Word and HTML documents take their type from the collection and their title from the document "
        "or its file name; the other fields are stored for Markdown and text files only.",
        "I documenti PDF, Word e HTML prendono il tipo dalla raccolta e il titolo dal documento o dal nome "
        "del file; gli altri campi sono salvati solo per file Markdown e di testo.",
    ),
    "kb_preview": ("Preview of the scrubbed text", "Anteprima del testo anonimizzato"),
    "kb_flagged": (
        "{n} passage(s) address the assistant rather than the reader: they are indexed flagged and never shown "
        "to the model as instructions.",
        "{n} passaggio/i si rivolge/rivolgono all'assistente anziché al lettore: sono indicizzati con un segnale e "
        "mai mostrati al modello come istruzioni.",
    ),
    "kb_preview_note": (
        "Highlighted placeholders replace personal data. Nothing is saved until you confirm.",
        "I segnaposto evidenziati sostituiscono i dati personali. Nulla viene salvato finché non confermi.",
    ),
    "kb_no_scrub": (
        "Legislation is public text and is indexed without scrubbing.",
        "La normativa è testo pubblico e viene indicizzata senza anonimizzazione.",
    ),
    "kb_counts": ("Replaced: {counts}", "Sostituiti: {counts}"),
    "kb_nothing_found": ("No personal data found.", "Nessun dato personale trovato."),
    "kb_preview_truncated": (
        "Showing the first {shown} of {total} characters.",
        "Sono mostrati i primi {shown} di {total} caratteri.",
    ),
    "kb_confirm": ("Confirm and save", "Conferma e salva"),
    "kb_saved": (
        "Saved as {path}. Re-index to make it searchable.",
        "Salvato come {path}. Reindicizza per renderlo ricercabile.",
    ),
    "kb_reindex": ("Re-index", "Reindicizza"),
    "kb_reindex_help": (
        "The chat keeps answering from the current index until the new one is complete.",
        "La chat continua a rispondere dall'indice attuale finché il nuovo non è completo.",
    ),
    "kb_indexing": ("Indexing documents…", "Indicizzazione dei documenti…"),
    "kb_index_done": ("Index updated: {summary}", "Indice aggiornato: {summary}"),
    "kb_index_uptodate": ("The index is already up to date.", "L'indice è già aggiornato."),
    "kb_documents": ("Documents in the index", "Documenti nell'indice"),
    "kb_no_index": ("No index yet: add documents and re-index.", "Nessun indice: aggiungi documenti e reindicizza."),
    "kb_remove": ("Remove an uploaded document", "Rimuovi un documento caricato"),
    "kb_remove_note": (
        "Only uploaded documents can be removed here; the knowledge_base folder is managed in git.",
        "Qui si possono rimuovere solo i documenti caricati; la cartella knowledge_base è gestita in git.",
    ),
    "kb_remove_button": ("Remove from the index and delete the file", "Rimuovi dall'indice ed elimina il file"),
    "kb_removed": ("Removed {source}.", "Rimosso {source}."),
    "kb_no_uploads": ("No uploaded documents.", "Nessun documento caricato."),
    "kb_upload_limit": (
        "Up to {mb:g} MB per file; several files can be added at once.",
        "Fino a {mb:g} MB per file; si possono aggiungere più file insieme.",
    ),
    "kb_remove_ask": (
        "Remove {source} from the index and delete its file? This cannot be undone.",
        "Rimuovere {source} dall'indice ed eliminarne il file? L'operazione non si può annullare.",
    ),
    "kb_remove_yes": ("Yes, remove it", "Sì, rimuovi"),
    "kb_remove_cancel": ("Cancel", "Annulla"),
    "kb_choose_source": ("Choose a document", "Scegli un documento"),
    "kb_status_indexed": ("indexed", "indicizzato"),
    "kb_status_unchanged": ("unchanged", "invariato"),
    "kb_status_failed": ("failed", "non riuscito"),
    "kb_status_removed": ("removed", "rimosso"),
    "col_source": ("Source", "Fonte"),
    "col_title": ("Title", "Titolo"),
    "col_type": ("Type", "Tipo"),
    "col_chunks": ("Passages", "Passaggi"),
    "col_indexed": ("Indexed", "Indicizzato"),
    "col_hash": ("Hash", "Hash"),
    "col_scrubbed": ("Scrubbed", "Anonimizzati"),
    "col_status": ("Result", "Esito"),
    "col_reason": ("Reason", "Motivo"),
    # case analysis
    "ca_title": ("Case analysis", "Analisi del caso"),
    "ca_intro": (
        "Paste a case narrative or upload a PDF, DOCX or TXT file. Personal data is removed first; the original text "
        "is never stored, and the scrubbed text only if you tick the box.",
        "Incolla la descrizione di un caso o carica un file PDF, DOCX o TXT. I dati personali vengono rimossi prima "
        "dell'analisi; il testo originale non viene mai salvato, quello anonimizzato solo se selezioni la casella.",
    ),
    "ca_paste": ("Case narrative", "Descrizione del caso"),
    "ca_upload": ("…or upload a file", "…oppure carica un file"),
    "ca_store": (
        "Keep this analysis, with its scrubbed text, in my saved analyses",
        "Conserva questa analisi, con il testo anonimizzato, tra le mie analisi salvate",
    ),
    "ca_run": ("Analyse", "Analizza"),
    "ca_indicators": ("Indicators found", "Indicatori trovati"),
    "ca_none": (
        "No trafficking indicators found in this text.",
        "Nessun indicatore di tratta trovato in questo testo.",
    ),
    "ca_elements": ("Elements of trafficking", "Elementi della tratta"),
    "ca_provisions": ("Relevant provisions", "Norme pertinenti"),
    "ca_similar": ("Similar cases", "Casi simili"),
    "ca_risk": ("Risk summary", "Sintesi dei rischi"),
    "ca_actors": ("People and relations (pseudonymised)", "Persone e relazioni (pseudonimizzate)"),
    "ca_child": ("Child victim — means not required", "Vittima minorenne — mezzi non richiesti"),
    "ca_found": ("found", "trovato"),
    "ca_not_found": ("not found", "non trovato"),
    "ca_not_required": ("not required", "non richiesto"),
    "ca_empty": (
        "The case text is empty: paste a narrative or upload a PDF, DOCX or TXT file.",
        "Il testo del caso è vuoto: incolla una descrizione o carica un file PDF, DOCX o TXT.",
    ),
    "ca_working": ("Analysing the case…", "Analisi del caso in corso…"),
    "ca_pasted": ("pasted text", "testo incollato"),
    "ca_upload_limit": ("Up to {mb:g} MB per file.", "Fino a {mb:g} MB per file."),
    "ca_result_of": ("Analysis of {title}", "Analisi di {title}"),
    "ca_shared": ("shares {what}", "in comune: {what}"),
    "ca_no_provisions": ("Provisions were not searched: {error}", "Le norme non sono state cercate: {error}"),
    "ca_no_similar": ("Similar cases were not searched: {error}", "I casi simili non sono stati cercati: {error}"),
    "ca_export_md": ("Download as Markdown", "Scarica in Markdown"),
    "ca_export_docx": ("Download as Word (DOCX)", "Scarica in Word (DOCX)"),
    "ca_export_note": (
        "The export holds the scrubbed analysis only, never the original text.",
        "Il file esportato contiene solo l'analisi anonimizzata, mai il testo originale.",
    ),
    "ca_store_done": ("Analysis saved as no. {id}.", "Analisi salvata con il n. {id}."),
    "ca_saved_title": ("My saved analyses", "Le mie analisi salvate"),
    "ca_saved_none": ("No saved analyses yet.", "Ancora nessuna analisi salvata."),
    "ca_saved_pick": ("Saved analysis", "Analisi salvata"),
    "ca_saved_open": ("Show it", "Mostrala"),
    "ca_saved_item": ("no. {id} · {title} · {date}", "n. {id} · {title} · {date}"),
    "ca_scrubbed_text": ("Scrubbed text", "Testo anonimizzato"),
    "ca_export_title": ("Case analysis: {title}", "Analisi del caso: {title}"),
    "ca_export_disclaimer": (
        "Prepared by SafeBorders Assistant from the scrubbed text; it supports, and does not replace, professional "
        "judgement.",
        "Preparata da SafeBorders Assistant sul testo anonimizzato; è un supporto e non sostituisce il giudizio "
        "professionale.",
    ),
    "col_indicator": ("Indicator", "Indicatore"),
    "col_category": ("Category", "Categoria"),
    "col_element": ("Element", "Elemento"),
    "col_severity": ("Severity", "Gravità"),
    "col_score": ("Score", "Punteggio"),
    "col_evidence": ("Evidence", "Testo a sostegno"),
    # the risk summary (analysis/risk.py), in the reader's language
    "risk_none": (
        "No trafficking indicators were found in this text.",
        "Nessun indicatore di tratta è stato trovato in questo testo.",
    ),
    "risk_found": ("{n} indicator(s) found: {labels}.", "Indicatori trovati ({n}): {labels}."),
    "risk_combinations": (
        "Indicators consistent with {combinations} — for the court's assessment.",
        "Indicatori compatibili con: {combinations} — da valutare da parte del giudice.",
    ),
    "risk_child": (
        "The person appears to be under 18: the means need not be proven (Palermo Protocol art. 3(c)).",
        "La persona sembra avere meno di 18 anni: i mezzi non devono essere provati (Protocollo di Palermo art. 3(c)).",
    ),
    "risk_elements": ("Elements with supporting text: {elements}.", "Elementi sostenuti dal testo: {elements}."),
    "risk_disclaimer": (
        "This summary lists indicators found by an automated reading of the scrubbed text; it supports, and does not "
        "replace, the assessment of the court or of the competent authority.",
        "Questa sintesi elenca gli indicatori trovati da una lettura automatica del testo anonimizzato; è un "
        "supporto e non sostituisce la valutazione del giudice o dell'autorità competente.",
    ),
    # patterns
    "pat_title": ("Patterns across the case law", "Ricorrenze nella giurisprudenza"),
    "pat_exploitation_type": ("Form of exploitation", "Forma di sfruttamento"),
    "pat_recruitment_method": ("Recruitment method", "Modalità di reclutamento"),
    "pat_victim_age_group": ("Victim age group", "Fascia d'età della vittima"),
    "pat_outcome": ("Outcome", "Esito"),
    "pat_none_stated": ("No decisions state this.", "Nessuna decisione riporta questo dato."),
    "pat_decisions_axis": ("decisions", "decisioni"),
    "pat_decisions_behind": ("Decisions behind", "Decisioni corrispondenti"),
    "pat_no_records": (
        "No case-law decisions are indexed yet. Build the index from the knowledge base first.",
        "Nessuna decisione giurisprudenziale è ancora indicizzata. Crea prima l'indice dalla base di conoscenza.",
    ),
    "pat_jurisdiction": ("Jurisdiction", "Giurisdizione"),
    "pat_period": ("Period", "Periodo"),
    "pat_shown": ("{shown} of {total} decisions", "{shown} decisioni su {total}"),
    "pat_routes": ("Routes (origin → transit → destination)", "Rotte (origine → transito → destinazione)"),
    "pat_no_routes": ("No routes recorded for these decisions.", "Nessuna rotta registrata per queste decisioni."),
    "pat_category": ("Category", "Categoria"),
    "pat_from_documents": (
        "counted from the {documents} analysed documents of the case workspace (one row per case)",
        "contati dai {documents} documenti analizzati dell'area dei casi (una riga per caso)",
    ),
    "pat_from_front_matter": (
        "counted from the case-law metadata (no analysed case documents yet)",
        "contati dai metadati della giurisprudenza (ancora nessun documento dei casi analizzato)",
    ),
    "col_jurisdiction": ("Jurisdiction", "Giurisdizione"),
    "col_year": ("Year", "Anno"),
    "pat_choose_jurisdictions": ("All jurisdictions", "Tutte le giurisdizioni"),
    "pat_title_documents": ("Patterns across the analysed cases", "Ricorrenze nei casi analizzati"),
    "pat_basis_documents": (
        "Counted from the {documents} analysed documents of the case workspace: each case counts once in each "
        "category its documents show (forms of exploitation and recruitment from the indicators found, a child "
        "victim from the case analysis, routes from the journeys the texts tell).",
        "I conteggi si basano sui {documents} documenti analizzati dell'area dei casi: ogni caso conta una volta in "
        "ciascuna categoria che emerge dai suoi documenti (forme di sfruttamento e di reclutamento dagli indicatori "
        "trovati, la vittima minore dall'analisi del caso, le rotte dai viaggi descritti nei testi).",
    ),
    "pat_basis_front_matter": (
        "Counted from the case-law metadata that editors wrote for each indexed decision (no case document has been "
        "analysed yet): each decision counts once in each category.",
        "I conteggi si basano sui metadati redatti per ciascuna decisione indicizzata della giurisprudenza (nessun "
        "documento dei casi è ancora stato analizzato): ogni decisione conta una volta in ciascuna categoria.",
    ),
    "pat_shown_cases": ("{shown} of {total} cases", "{shown} casi su {total}"),
    "pat_cases_axis": ("cases", "casi"),
    "pat_chart_documents": (
        "Cases by {dimension} (analysed documents)",
        "Casi per {dimension} (documenti analizzati)",
    ),
    "pat_chart_front_matter": (
        "Decisions by {dimension} (case-law metadata)",
        "Decisioni per {dimension} (metadati della giurisprudenza)",
    ),
    "pat_none_documents": (
        "No analysed document of these cases shows this.",
        "Nessun documento analizzato di questi casi lo mostra.",
    ),
    "pat_cases_behind": ("Cases behind", "Casi corrispondenti"),
    "pat_age_note_documents": (
        "child: a document of the case shows a victim under 18; adult: no document of the case shows one.",
        "minorenne: un documento del caso indica una vittima con meno di 18 anni; adulta: nessun documento del caso "
        "ne indica una.",
    ),
    "pat_routes_documents": (
        "Routes told in the analysed documents (origin → transit → destination)",
        "Rotte descritte nei documenti analizzati (origine → transito → destinazione)",
    ),
    "pat_routes_front_matter": (
        "Routes recorded in the case-law metadata (origin → transit → destination)",
        "Rotte registrate nei metadati della giurisprudenza (origine → transito → destinazione)",
    ),
    "pat_routes_note_documents": (
        "In brackets, the number of cases naming each place on a route; on each arrow, the cases telling that leg.",
        "Tra parentesi, il numero di casi che nominano ciascun luogo di una rotta; su ogni freccia, i casi che "
        "descrivono quella tratta.",
    ),
    "pat_routes_note_front_matter": (
        "In brackets, the number of decisions naming each country on a route; on each arrow, the decisions recording "
        "that leg.",
        "Tra parentesi, il numero di decisioni che nominano ciascun paese di una rotta; su ogni freccia, le decisioni "
        "che registrano quella tratta.",
    ),
    "pat_no_routes_documents": (
        "No analysed document of these cases tells a route.",
        "Nessun documento analizzato di questi casi descrive una rotta.",
    ),
    "pat_no_records_any": (
        "Nothing to count yet: no case document has been analysed and no case-law decision is indexed. Add case "
        'documents on the page "Networks across cases", or build the index from the knowledge base.',
        "Ancora nulla da contare: nessun documento dei casi è stato analizzato e nessuna decisione giurisprudenziale "
        "è indicizzata. Aggiungi documenti dei casi nella pagina «Reti tra i casi», oppure crea l'indice dalla base "
        "di conoscenza.",
    ),
    # networks page
    "net_title": ("Networks across cases", "Reti tra i casi"),
    "net_intro": (
        "People, phones, accounts, vehicles and e-mails appear here only as keyed pseudonyms: the same value has the "
        "same pseudonym in every document of this installation, so cases that share one are linked.",
        "Persone, telefoni, conti, veicoli ed e-mail compaiono qui solo come pseudonimi con chiave: lo stesso valore "
        "ha lo stesso pseudonimo in tutti i documenti di questa installazione, così i casi che ne condividono uno "
        "risultano collegati.",
    ),
    "net_empty": (
        "No case documents yet. Add them with: python -m analysis add --workspace {folder} --case NAME FILE...",
        "Nessun documento dei casi. Aggiungili con: python -m analysis add --workspace {folder} --case NOME FILE...",
    ),
    "net_cases": ("Cases", "Casi"),
    "net_add": ("Add documents to a case", "Aggiungi documenti a un caso"),
    "net_add_case": ("Case", "Caso"),
    "net_add_new_case": ("New case…", "Nuovo caso…"),
    "net_add_name": ("Name of the new case", "Nome del nuovo caso"),
    "net_add_files": (
        "Files (PDF, DOCX, TXT, MD; CSV of call or transfer records, one row per event)",
        "File (PDF, DOCX, TXT, MD; CSV di tabulati o bonifici, una riga per evento)",
    ),
    "net_add_button": ("Scrub, analyse and add", "Anonimizza, analizza e aggiungi"),
    "net_add_working": ("Scrubbing and analysing the files…", "Anonimizzazione e analisi dei file…"),
    "net_add_no_case": ("Name the new case first.", "Indica prima il nome del nuovo caso."),
    "net_added": (
        "Case {case}: {count} documents added ({ids}); only their scrubbed text is kept.",
        "Caso {case}: {count} documenti aggiunti ({ids}); se ne conserva solo il testo anonimizzato.",
    ),
    "net_add_already": ("{count} files were already in the case.", "{count} file erano già nel caso."),
    "net_types": ("Node types", "Tipi di nodo"),
    "net_shown": (
        "{cases} cases, {nodes} nodes, {links} links between cases",
        "{cases} casi, {nodes} nodi, {links} collegamenti tra casi",
    ),
    "net_graph": (
        "Graph (colour = type; click a node for its evidence)",
        "Grafo (colore = tipo; fai clic su un nodo per vederne le prove)",
    ),
    "net_node": ("Node", "Nodo"),
    "net_node_pick": ("Show the evidence of", "Mostra le prove di"),
    "net_evidence": ("Documents and sentences behind {node}", "Documenti e frasi dietro {node}"),
    "net_links": ("Cases linked by shared identifiers", "Casi collegati da identificatori condivisi"),
    "net_networks": ("Networks (groups of linked cases)", "Reti (gruppi di casi collegati)"),
    "net_no_links": ("No two cases share an identifier.", "Nessuna coppia di casi condivide un identificatore."),
    "net_patterns": ("High-risk patterns", "Schemi ad alto rischio"),
    "net_no_patterns": ("No high-risk pattern found.", "Nessuno schema ad alto rischio trovato."),
    "net_pattern_identifier_across_cities": (
        "One identifier in cases in different cities",
        "Un identificatore in casi di città diverse",
    ),
    "net_pattern_account_many_senders": (
        "One account receiving money from many people",
        "Un conto che riceve denaro da molte persone",
    ),
    "net_pattern_recruiter_child_victims": (
        "One person recruiting or controlling several children",
        "Una persona che recluta o controlla più minori",
    ),
    "net_pattern_debt_bondage_documents_child": (
        "Debt bondage, confiscated documents and a child victim",
        "Servitù per debiti, documenti sottratti e una vittima minore",
    ),
    "net_pattern_broker": ("Broker between cases (betweenness)", "Intermediario tra casi (centralità)"),
    "net_pattern_repeated_route": ("One route in several cases", "Una stessa rotta in più casi"),
    "net_routes": ("Routes (origin → transit → destination)", "Rotte (origine → transito → destinazione)"),
    "net_no_routes": (
        "No document of these cases tells a route.",
        "Nessun documento di questi casi descrive una rotta.",
    ),
    "col_route": ("Route", "Rotta"),
    "col_date": ("Date", "Data"),
    "net_period": ("Period of the events", "Periodo dei fatti"),
    "net_period_help": (
        "Shows the documents with a dated event in this period; a document that states no date is shown with its case.",
        "Mostra i documenti con un fatto datato in questo periodo; un documento senza date è mostrato insieme al "
        "suo caso.",
    ),
    "net_period_shown": (
        "Only documents with events from {first} to {last}.",
        "Solo i documenti con fatti dal {first} al {last}.",
    ),
    "net_timeline": ("Timeline of events", "Cronologia dei fatti"),
    "net_timeline_caption": (
        "Dates of events stated in the scrubbed documents, at the precision written (year, month or day); dates of "
        "birth are never listed.",
        "Date dei fatti riportate nei documenti anonimizzati, con la precisione con cui sono scritte (anno, mese o "
        "giorno); le date di nascita non sono mai elencate.",
    ),
    "net_timeline_chart": ("Dated events by case", "Fatti datati per caso"),
    "net_no_timeline": (
        "No document of these cases states the date of an event in this period.",
        "Nessun documento di questi casi riporta la data di un fatto in questo periodo.",
    ),
    "net_export": ("Export", "Esporta"),
    "net_export_graphml": ("GraphML (Gephi, i2)", "GraphML (Gephi, i2)"),
    "net_export_nodes": ("Nodes (CSV)", "Nodi (CSV)"),
    "net_export_edges": ("Edges (CSV)", "Archi (CSV)"),
    "col_case": ("Case", "Caso"),
    "col_cases": ("Cases", "Casi"),
    "col_via": ("Shared identifiers", "Identificatori condivisi"),
    "col_document": ("Document", "Documento"),
    "col_sentence": ("Sentence", "Frase"),
    "col_identifier": ("Identifier", "Identificatore"),
    "col_detail": ("Detail", "Dettaglio"),
    # feedback page
    "fb_title": ("Feedback from users", "Valutazioni degli utenti"),
    "fb_empty": ("No feedback yet.", "Ancora nessuna valutazione."),
    "fb_summary": ("{up} useful · {down} not useful", "{up} utili · {down} non utili"),
    "col_time": ("Time", "Ora"),
    "col_user": ("User", "Utente"),
    "col_rating": ("Rating", "Valutazione"),
    "col_question": ("Question (scrubbed)", "Domanda (anonimizzata)"),
    "col_comment": ("Comment", "Commento"),
    "col_answer_hash": ("Answer hash", "Hash risposta"),
    # users page
    "users_title": ("Users", "Utenti"),
    "users_add": ("Add a user", "Aggiungi un utente"),
    "users_role": ("Role", "Ruolo"),
    "users_added": ("User {user} added.", "Utente {user} aggiunto."),
    "users_reset": ("Reset a password", "Reimposta una password"),
    "users_reset_done": ("Password of {user} reset.", "Password di {user} reimpostata."),
    "users_new_password": ("New password", "Nuova password"),
    "users_role_note": (
        "Prosecutors sign in as judge. Editors manage the knowledge base; administrators also manage users.",
        "I pubblici ministeri accedono come giudice. I redattori gestiscono la base di conoscenza; gli "
        "amministratori anche gli utenti.",
    ),
    "col_role": ("Role", "Ruolo"),
    "col_created": ("Created", "Creato"),
    # user administration (app/pages/users.py) and the database
    "col_account_status": ("Status", "Stato"),
    "users_enabled": ("active", "attivo"),
    "users_disabled": ("disabled", "disattivato"),
    "users_manage": ("Manage an account", "Gestisci un account"),
    "users_action": ("Change", "Modifica"),
    "users_action_role": ("Change the role", "Cambia il ruolo"),
    "users_action_disable": ("Disable (cannot sign in)", "Disattiva (non può accedere)"),
    "users_action_enable": ("Enable again", "Riattiva"),
    "users_action_delete": ("Delete the account", "Elimina l'account"),
    "users_confirm_delete": ("Yes, delete this account", "Sì, elimina questo account"),
    "users_confirm_needed": (
        "Tick the confirmation to delete the account.",
        "Spunta la conferma per eliminare l'account.",
    ),
    "users_apply": ("Apply", "Applica"),
    "users_done_role": ("Role of {user} changed.", "Ruolo di {user} cambiato."),
    "users_done_disable": ("{user} is disabled.", "{user} è disattivato."),
    "users_done_enable": ("{user} is enabled again.", "{user} è di nuovo attivo."),
    "users_done_delete": ("Account {user} deleted.", "Account {user} eliminato."),
    "last_admin": (
        "At least one active administrator must remain.",
        "Deve restare almeno un amministratore attivo.",
    ),
}


def translate(key: str, language: str, **values: object) -> str:
    """The string for ``key`` in ``language`` (English when the language is unknown), formatted with ``values``.

    Raises:
        KeyError: ``key`` is not a known string (a typo in a page should fail its test, not show a blank).
    """
    english, italian = STRINGS[key]
    text = italian if language == "it" else english
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Message:
    """A user-facing message as data: its key in ``STRINGS`` and the values of its placeholders.

    Code that does not know who reads it (``rag/``) returns a Message; whoever shows it picks the language.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def text(self, language: str) -> str:
        """The message in ``language`` (English when the language is unknown)."""
        return translate(self.key, language, **self.values)
