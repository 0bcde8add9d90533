@echo off
rem a Windows startup task: nothing a Linux guest runs
