sh '''
  make
'''
sh """
${x}
"""
