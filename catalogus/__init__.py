"""catalogus: producten- en dienstencatalogus sociaal domein."""
