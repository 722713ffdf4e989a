"""Search that understands residents: Dutch analysis, synonyms, the Whoosh index, ranking and snippets.

Import the modules themselves (``catalogus.search.index``, ``.query``, ``.dutch`` ...): this file
stays empty so that the catalogue loader can use ``synonyms`` without loading the index.
"""
