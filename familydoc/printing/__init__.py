"""Printed documents (ReportLab): the contract and the summary report. Qt-free; reads core DTOs."""
