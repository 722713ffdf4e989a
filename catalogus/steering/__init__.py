"""Sturingsinformatie: anonymous counts per day and municipality, and the figures made from them.

``events`` says what one check, referral or search adds; ``counters`` keeps those additions in this
process's memory and writes them to the database every few seconds; ``report`` reads a period back as
figures with small numbers suppressed (and the referral stage durations from the referrals store).
"""
