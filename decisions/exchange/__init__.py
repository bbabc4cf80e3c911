"""Exchange of documents with other document systems as edXML packages (QCVN 102:2016/BTTTT).

`edxml` builds and reads packages (no database writes), `receive` enters a received package in
the incoming register of each of our bodies it is addressed to, `views` and `urls` are the văn
thư's download and upload pages. Sending over a network is the transport's business.
"""
