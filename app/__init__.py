"""The Streamlit app: sign-in, chat, knowledge base, feedback and user administration (pages stay thin)."""
